"""Crop previews: frame selectors, render options, cell and sheet layout, overlay filter graphs."""
