"""Import and export dialogs (issue 15 item 2) over app/services/transfer."""
