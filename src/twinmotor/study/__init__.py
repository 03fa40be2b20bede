"""Design studies: a study file (spec) names cars, controllers, procedures, surfaces, factors and a
design (design); its cases run on the Dask engine and land one by one in a dataset keyed by the
hash of their inputs (dataset, run); the summary page answers with Pareto fronts, Sobol indices
and each KPI against each factor (summary)."""

from __future__ import annotations

from twinmotor.study.plan import Plan, plan_study, status, study_frame
from twinmotor.study.run import Outcome, run_study
from twinmotor.study.spec import Study, StudyFileError, load_study

__all__ = ["Outcome", "Plan", "Study", "StudyFileError", "load_study", "plan_study", "run_study", "status",
           "study_frame"]
