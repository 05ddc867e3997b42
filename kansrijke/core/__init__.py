"""The small core every feature builds on: configuration, messages and formats, the one user error
(``errors.UserError``) and the one Markdown escaper (``text.md_escape``), the store with its migrations,
statistics, reference facts, file exports and PDF helpers. It imports no feature.
"""
