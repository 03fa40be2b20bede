"""The road: surface friction (left and right track separately), friction changing along the
path, and grade.

Friction is a scale on the tire's own friction coefficients (the Magic Formula's LMUX and LMUY),
relative to the dry asphalt the tire data were measured on. Surface values are typical ratios of
peak friction (estimates from the literature on tire-road friction, e.g. Pacejka, Tyre and Vehicle
Dynamics, 2nd ed., sect. 4.3; Gustafsson 1997): the tire data bring the dry peak itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba
import numpy as np

from twinmotor.errors import ParameterError

#: friction scale relative to dry asphalt (estimates, see module docstring)
SURFACES: dict[str, float] = {
    "dry": 1.0,    # dry asphalt: the tire file's own friction
    "wet": 0.6,    # wet asphalt, ~1 mm water film, moderate speed: ~0.5-0.75 of dry
    "snow": 0.3,   # packed snow
    "ice": 0.1,    # wet ice / polished ice
}

ROAD_COLUMNS = ("s_m", "mu_left", "mu_right", "grade_rad")


def surface_mu(name: str) -> float:
    try:
        return SURFACES[name]
    except KeyError:
        raise ParameterError(
            f"surface = {name!r} is unknown: choose one of {', '.join(SURFACES)} "
            "(or 'split-mu' / a Road object for left-right and along-path changes)"
        ) from None


@dataclass(frozen=True)
class Road:
    """A straight-line description of the road along the car's travelled distance.

    `segments` are (start_distance_m, left_surface, right_surface) in increasing distance; a surface
    is a name from SURFACES or a friction scale (float). `grade_pct` is constant (positive uphill),
    unless `grade_profile` gives (start_distance_m, grade_pct) pieces along the path (a drive cycle's
    grade column), which then replace it.
    """

    name: str = "dry"
    segments: tuple[tuple[float, str | float, str | float], ...] = ((0.0, "dry", "dry"),)
    grade_pct: float = 0.0
    extra: dict = field(default_factory=dict, compare=False)
    grade_profile: tuple[tuple[float, float], ...] = ()

    def __post_init__(self):
        if not -30.0 <= self.grade_pct <= 30.0:
            raise ParameterError(f"road grade_pct = {self.grade_pct!r} is out of range: allowed -30 to 30 %")
        last = -np.inf
        for s, g in self.grade_profile:
            if not -30.0 <= g <= 30.0:
                raise ParameterError(f"road grade_profile: grade_pct = {g!r} at {s} m is out of range: allowed -30 to 30 %")
            if s < last:
                raise ParameterError(f"road grade_profile: start distance {s} m is before {last} m; sort them")
            last = s
        last = -np.inf
        for s, _, _ in self.segments:
            if s < last:
                raise ParameterError(f"road segments: start distance {s} m is before {last} m; sort them")
            last = s
        for _, left, right in self.segments:
            for side in (left, right):
                _mu(side)

    def table(self) -> np.ndarray:
        """The road as an (n, 4) array: s_m, mu_left, mu_right, grade_rad (see ROAD_COLUMNS)."""
        if not self.grade_profile:
            grade = float(np.arctan(self.grade_pct / 100.0))
            return np.array([[s, _mu(left), _mu(right), grade] for s, left, right in self.segments], dtype=np.float64)
        # every start of a friction segment or a grade piece starts a row of the table
        seg_s = np.array([s for s, _, _ in self.segments])
        grade_s = np.array([s for s, _ in self.grade_profile])
        grade_pct = np.array([g for _, g in self.grade_profile])
        starts = np.unique(np.concatenate([seg_s, grade_s]))
        rows = []
        for s in starts:
            k = max(int(np.searchsorted(seg_s, s, side="right")) - 1, 0)
            j = max(int(np.searchsorted(grade_s, s, side="right")) - 1, 0)
            _, left, right = self.segments[k]
            rows.append([s, _mu(left), _mu(right), float(np.arctan(grade_pct[j] / 100.0))])
        return np.array(rows, dtype=np.float64)


def _mu(value: str | float) -> float:
    if isinstance(value, str):
        return surface_mu(value)
    v = float(value)
    if not 0.01 <= v <= 2.0:
        raise ParameterError(f"road friction scale = {v!r} is out of range: allowed 0.01 to 2.0 (relative to dry)")
    return v


def make_road(surface: str | Road | float) -> Road:
    """A Road from a surface name (`dry`, `wet`, `snow`, `ice`), `split-mu` (left ice, right dry),
    `split-mu:LEFT:RIGHT`, a friction scale, or a Road object as it is."""
    if isinstance(surface, Road):
        return surface
    if isinstance(surface, (int, float)):
        return Road(name=f"mu={surface}", segments=((0.0, float(surface), float(surface)),))
    name = str(surface).strip().lower()
    if name == "split-mu":
        return Road(name="split-mu", segments=((0.0, "ice", "dry"),))
    if name.startswith("split-mu:"):
        parts = name.split(":")
        if len(parts) != 3:
            raise ParameterError(f"surface = {surface!r}: write split-mu:LEFT:RIGHT, e.g. split-mu:ice:dry")
        return Road(name=name, segments=((0.0, parts[1], parts[2]),))
    surface_mu(name)
    return Road(name=name, segments=((0.0, name, name),))


@numba.njit(cache=True)
def road_at(road: np.ndarray, s: float, left: bool) -> tuple[float, float]:
    """Friction scale and grade [rad] at travelled distance `s` [m] on the left or right track."""
    n = road.shape[0]
    k = 0
    while k + 1 < n and road[k + 1, 0] <= s:
        k += 1
    mu = road[k, 1] if left else road[k, 2]
    return mu, road[k, 3]
