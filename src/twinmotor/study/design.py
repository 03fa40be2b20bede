"""Designs of experiments: the points (one value per factor) a study runs.

- grid: every combination of every factor's levels (itertools.product).
- lhs: Latin hypercube (scipy.stats.qmc.LatinHypercube), `samples` points.
- sobol: scrambled Sobol sequence (scipy.stats.qmc.Sobol), `samples` points (a power of two).
- montecarlo: independent draws (numpy's default generator) from each factor's distribution.
- saltelli: Saltelli's extension of the Sobol sequence for Sobol sensitivity indices
  (SALib.sample.sobol, first and total order), N (D + 2) points for D factors.

Every method but grid draws points in the unit hypercube; each factor maps its coordinate to a value
by the inverse of its distribution (uniform range, normal, triangular) or picks one of its levels.

References: McKay, Beckman & Conover (1979) (LHS); Sobol' (1967); Saltelli et al. (2010),
"Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from twinmotor.study.spec import Factor, Study


@dataclass
class Design:
    """The points of a study: `points[i]` maps factor name -> value; `unit` holds the unit-cube
    coordinates (None for a grid); `problem` is SALib's problem dict for a saltelli design."""

    points: list[dict]
    unit: np.ndarray | None
    problem: dict | None = None


def salib_problem(factors: list[Factor]) -> dict:
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}


def unit_points(method: str, d: int, samples: int, seed: int, factors: list[Factor] | None = None) -> np.ndarray:
    """Points in [0, 1)^d for a sampling design."""
    from scipy.stats import qmc

    if method == "lhs":
        return qmc.LatinHypercube(d=d, seed=seed).random(samples)
    if method == "sobol":
        return qmc.Sobol(d=d, scramble=True, seed=seed).random_base2(int(np.log2(samples)))
    if method == "montecarlo":
        return np.random.default_rng(seed).random((samples, d))
    if method == "saltelli":
        from SALib.sample import sobol as salib_sobol

        return salib_sobol.sample(salib_problem(factors or []), samples, calc_second_order=False, seed=seed)
    raise ValueError(f"not a sampling method: {method}")


def make_design(study: Study) -> Design:
    """The design's points, in a fixed order (the same file gives the same points)."""
    factors = study.factors
    if not factors:
        return Design([{}], None)
    if study.method == "grid":
        grids = [f.grid_values() for f in factors]
        return Design([dict(zip([f.name for f in factors], combo)) for combo in itertools.product(*grids)], None)
    u = unit_points(study.method, len(factors), study.samples, study.seed, factors)
    points = [{f.name: _plain(f.from_unit(float(u[i, j]))) for j, f in enumerate(factors)} for i in range(u.shape[0])]
    problem = salib_problem(factors) if study.method == "saltelli" else None
    return Design(points, u, problem)


def _plain(v):
    """Python scalars (for TOML, JSON and hashing)."""
    if isinstance(v, np.generic):
        return v.item()
    return v
