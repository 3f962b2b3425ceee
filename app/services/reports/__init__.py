"""The dashboard and the reports: aggregation in SQL, one shape for every report
(base.ReportResult) so the screen, the exports and `kestrel report` share it."""
