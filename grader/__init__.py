"""grader: grades students' written math homework (notebooks, Markdown, LaTeX) like a careful TA.

Pipeline: read → segment → extract → check → score → render. See README.md.
"""

__version__ = "0.1.0"
