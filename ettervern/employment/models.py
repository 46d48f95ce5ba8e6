"""Companies, intent agreements, placements and triangle agreements (see the employment issue)."""
