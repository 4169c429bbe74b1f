"""Reports to the sentence-enforcement judge, their validation and issue."""
