"""CMS NCCI procedure-to-procedure and MUE edits: loading the CMS files, fetching edits."""
