"""Rebuild the bundled datasets in data/ from the copies that ship inside scikit-learn.

    python data/make_data.py            # needs numpy, scikit-learn and networkx (only this script does)

Writes ``digits.npz``, ``breast_cancer.npz`` and ``karate_club.npz`` next to this file and prints their SHA-256, which
must match the table in data/README.md and ``dlmath/data/datasets.py``. The course itself never
imports scikit-learn: it reads these files.

The .npz files are written byte-for-byte reproducibly (fixed member order and zip timestamps,
no pickles), so running this again with the same scikit-learn data gives the same checksums.
"""
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
_EPOCH = (1980, 1, 1, 0, 0, 0)          # the earliest time a zip member can carry


def save_npz_reproducibly(path, arrays):
    """Like ``np.savez_compressed`` but deterministic: sorted members, fixed timestamps."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digits_arrays():
    from sklearn.datasets import load_digits
    bunch = load_digits()
    images = bunch.images
    if not np.array_equal(images, np.round(images)) or images.min() < 0 or images.max() > 16:
        raise ValueError("digits: expected integer pixel counts in 0..16")
    return {
        "images": images.astype(np.uint8),                         # (1797, 8, 8), values 0..16
        "target": bunch.target.astype(np.uint8),                   # (1797,), digits 0..9
        "feature_names": np.array(bunch.feature_names, dtype=str),  # "pixel_0_0", …
        "target_names": np.array([str(t) for t in bunch.target_names]),
        "source": np.array("UCI ML Optical Recognition of Handwritten Digits, test partition "
                           "(optdigits.tes), E. Alpaydin & C. Kaynak 1998, "
                           "https://doi.org/10.24432/C50P49, via scikit-learn"),
        "license": np.array("CC BY 4.0"),
    }


def breast_cancer_arrays():
    from sklearn.datasets import load_breast_cancer
    bunch = load_breast_cancer()
    return {
        "data": bunch.data.astype(np.float64),                     # (569, 30)
        "target": bunch.target.astype(np.uint8),                   # 0 = malignant, 1 = benign
        "feature_names": np.array(bunch.feature_names, dtype=str),
        "target_names": np.array(bunch.target_names, dtype=str),
        "source": np.array("UCI ML Breast Cancer Wisconsin (Diagnostic), W. Wolberg, "
                           "O. Mangasarian, N. Street, W. Street 1995, "
                           "https://doi.org/10.24432/C5DW2B, via scikit-learn"),
        "license": np.array("CC BY 4.0"),
    }


def karate_club_arrays():
    """Zachary's karate club: 34 members, 78 friendships, the club each member joined after the split.

    Read from NetworkX's transcription of Zachary's (1977) weighted interaction matrix (weight =
    the number of contexts, 1–7, in which two members met) and his "club after fission" column.
    Edges are stored once each as (u, v) with u < v, sorted, members numbered 0–33 (the paper's
    1–34 minus one).
    """
    import networkx as nx
    G = nx.karate_club_graph()
    edges = sorted((min(u, v), max(u, v), d["weight"]) for u, v, d in G.edges(data=True))
    if len(edges) != 78 or G.number_of_nodes() != 34:
        raise ValueError("karate club: expected 34 members and 78 edges")
    club_names = ["Mr. Hi", "Officer"]
    return {
        "edges": np.array([(u, v) for u, v, _ in edges], dtype=np.int64),    # (78, 2), u < v
        "weight": np.array([w for _, _, w in edges], dtype=np.int64),         # (78,), 1..7
        "club": np.array([club_names.index(G.nodes[v]["club"]) for v in range(34)],
                         dtype=np.int64),                                    # (34,), 0/1
        "club_names": np.array(club_names),
        "source": np.array("W. W. Zachary (1977), An Information Flow Model for Conflict and "
                           "Fission in Small Groups, Journal of Anthropological Research 33(4), "
                           "452-473, https://doi.org/10.1086/jar.33.4.3629752; matrix and club "
                           "column as transcribed in NetworkX (karate_club_graph)"),
        "license": np.array("facts from a published study; transcription from NetworkX, "
                            "BSD 3-Clause"),
    }


def main():
    import sklearn
    for name, arrays in (("digits.npz", digits_arrays()),
                         ("breast_cancer.npz", breast_cancer_arrays()),
                         ("karate_club.npz", karate_club_arrays())):
        path = HERE / name
        save_npz_reproducibly(path, arrays)
        print(f"{name}  {path.stat().st_size:>7} bytes  sha256 {sha256(path)}")
    print(f"(scikit-learn {sklearn.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
