"""Small program sets the shipped plans train on (see ATTRIBUTION.md)."""
