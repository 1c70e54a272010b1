"""The summary report staff write, and whether the report-back follows the lead or stands still."""
