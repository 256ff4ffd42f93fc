"""The staff console (README, "Staff console")."""
