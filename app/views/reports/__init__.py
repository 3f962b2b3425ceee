"""The Reports screen: the dashboard (a manager's first screen) and the reports, each with
its chart, its table, exports and print."""
