"""PySide6 widgets, dialogs and item models. Views call services; they hold no rules."""
