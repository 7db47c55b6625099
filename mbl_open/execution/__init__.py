"""Running the book: chapter discovery, each chapter's rules, papermill execution, ``python -m mbl_open``.

chapters
    The chapters, their parameters and their titles, read from ``book/``.
chapter_rules
    Each chapter's rules on its parameters taken together, and its memory and time estimates.
runner
    Papermill execution of one chapter with new parameters (``run``).
cli
    The command line: ``list``, ``run``, ``sweep``, ``status``, ``export``.
"""
