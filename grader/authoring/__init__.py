"""Authoring tools for course staff: student templates built from rubrics (``template``) and the check that every
rubric, model answer and template agree (``selftest``). See docs/writing-a-rubric.md."""
