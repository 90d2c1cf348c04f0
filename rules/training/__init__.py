"""Training the learned stage: labelled corpora, fixed splits, the training script.

Nothing here runs in production: the engine reads only the exported model file
(``rules/engine/data/classifiers.npz``). scikit-learn is needed to train, not to classify.
"""
