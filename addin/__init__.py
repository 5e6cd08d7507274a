"""PlanReport: completion rates and narrative reports from plan-execution workbooks."""
__version__ = "0.1.0"
