"""ISO 3888-2 obstacle-avoidance double lane change: the track (track.py) and the procedure
(procedure.py); the driver's optimal line and learning live with the drivers (twinmotor.driver)."""

from twinmotor.procedures.lane_change.procedure import (
    SEARCH_HIGH_KMH,
    SEARCH_LOW_KMH,
    SEARCH_TOL_KMH,
    SPIN_SIDESLIP_DEG,
    SPIN_YAW_DEG,
    LaneChange,
    coasting_pedal,
    driver_line,
)
from twinmotor.procedures.lane_change.track import (
    EXIT_WIDTH_MAX_M,
    LIMIT_NAMES,
    OFFSET_GAP_M,
    SECTION_LENGTHS_M,
    TRACK_LENGTH_M,
    cone_layout,
    cone_positions,
    footprint_corners,
    lane_intrusions,
)

__all__ = ["EXIT_WIDTH_MAX_M", "LIMIT_NAMES", "LaneChange", "OFFSET_GAP_M", "SEARCH_HIGH_KMH", "SEARCH_LOW_KMH",
           "SEARCH_TOL_KMH", "SECTION_LENGTHS_M", "SPIN_SIDESLIP_DEG", "SPIN_YAW_DEG", "TRACK_LENGTH_M",
           "coasting_pedal", "cone_layout", "cone_positions", "driver_line", "footprint_corners", "lane_intrusions"]
