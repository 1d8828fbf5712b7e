"""Pure analytics over patient data: plain Python and numpy, no Django (a test enforces it)."""
