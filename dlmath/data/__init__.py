"""Data for the course: bundled real datasets, toy 2-D sets, MNIST downloads, batching.

    load_digits, load_breast_cancer      the files in data/, SHA-256 checked, seeded stratified split
    load_karate_club                     Zachary's karate club graph (34 nodes, 78 edges, two clubs)
    make_moons, make_circles,            seeded 2-D classification toys
    make_spirals, make_xor
    load_mnist                           MNIST / Fashion-MNIST IDX download, verify, parse, cache
    TensorDataset, DataLoader            mini-batches, as torch.utils.data
    RandomShift                          data augmentation: random pixel shifts of image batches
"""
from .datasets import (Split, DataIntegrityError, load_digits, load_breast_cancer,
                       stratified_split, Graph, load_karate_club)
from .toy import make_moons, make_circles, make_spirals, make_xor
from .mnist import load_mnist, read_idx
from .loader import Dataset, TensorDataset, DataLoader, default_collate
from .transforms import RandomShift

__all__ = ["Split", "DataIntegrityError", "load_digits", "load_breast_cancer", "stratified_split",
           "Graph", "load_karate_club",
           "make_moons", "make_circles", "make_spirals", "make_xor", "load_mnist", "read_idx",
           "Dataset", "TensorDataset", "DataLoader", "default_collate", "RandomShift"]
