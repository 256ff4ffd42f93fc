"""Input channels registered in credentials.yml by module path."""
