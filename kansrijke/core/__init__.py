"""The small core every feature builds on: configuration, messages and formats, the store with its
migrations, statistics, reference facts, file exports and PDF helpers. It imports no feature.
"""
