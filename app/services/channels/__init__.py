"""Order channels: orders from web shops and marketplaces, read from their own export
formats and webhook bodies (issue 17)."""
