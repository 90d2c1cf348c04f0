"""The learned stage: calibrated per-category linear classifiers beside the rules.

``features`` turns a text into feature strings (training and classifying share it), ``model``
scores and explains them with plain numpy arrays loaded from the shipped model file, and
``stage`` turns scores into ``Match``es with a rule-set version's thresholds and outcomes.
"""
