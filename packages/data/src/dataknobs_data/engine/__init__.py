"""The engine: capabilities, planner, operations and the sync/async Database faces."""
