"""Read judgment files, recover their structure and metadata, cut chunks."""
