"""Physics used in more than one place, each relation once, as small pure functions with their
references: the linear single-track model (single_track) and the road load (road_load)."""
