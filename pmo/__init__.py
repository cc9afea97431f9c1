"""PMO Lens: portfolio dashboards from the spreadsheets a PMO already keeps."""
