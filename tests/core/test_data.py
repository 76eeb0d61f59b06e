"""Reading IDX files and splitting datasets; the bundled files are the real MNIST."""

import gzip
import hashlib

import numpy as np
import pytest

from helpers import make_idx_dataset, write_idx
from nnviz.core.data import bundled_mnist_dir, load_dataset, pixels_with_255, read_idx
from nnviz.core.errors import DatasetError


def test_bundled_files_are_the_published_mnist():
    folder = bundled_mnist_dir()
    expected = dict(line.split()[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
    for name, digest in expected.items():
        data = gzip.decompress((folder / f"{name}.gz").read_bytes())
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_mnist_is_split_into_training_validation_and_test(mnist):
    assert (len(mnist.train), len(mnist.validation), len(mnist.test)) == (50_000, 10_000, 10_000)
    assert mnist.image_shape == (28, 28) and mnist.n_inputs == 784 and mnist.n_classes == 10
    assert mnist.train.images.dtype == np.uint8 and mnist.train.images.shape == (50_000, 784)
    # the validation set is the last 10,000 of the training file: its first label is the
    # training file's 50,001st, a 3 (and the very first training image is the famous 5)
    assert mnist.train.labels[0] == 5 and mnist.validation.labels[0] == 3
    assert set(np.unique(mnist.test.labels)) == set(range(10))
    assert np.bincount(mnist.test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_inputs_are_scaled_to_unit_range(mnist):
    x = mnist.test.inputs(slice(0, 100))
    assert x.dtype == np.float32 and x.shape == (100, 784)
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_allclose(x[0] * 255, mnist.test.images[0], atol=1e-4)
    assert mnist.test.image(0).shape == (28, 28)


def test_pixels_with_255_are_255_times_the_inputs_with_a_one(mnist):
    images = mnist.test.images[:5]
    expected = 255 * np.hstack([mnist.test.inputs(slice(0, 5), np.float64), np.ones((5, 1))])
    np.testing.assert_allclose(pixels_with_255(images, np.float64), expected, rtol=1e-12)
    reused = np.full((8, 785), np.nan, np.float32)  # a buffer with anything in it is rewritten
    out = pixels_with_255(images, np.float32, reused)
    assert out is reused and np.array_equal(out[:5], expected.astype(np.float32))


def test_reads_gzipped_and_raw_files_alike(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a.gz", array)), array)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a", array, compress=False)), array)


def damaged(tmp_path, what):
    path = tmp_path / "images-idx3-ubyte"
    array = np.zeros((3, 28, 28), np.uint8)
    raw = write_idx(tmp_path / "good", array, compress=False).read_bytes()
    if what == "truncated":
        path.write_bytes(raw[:-10])
    elif what == "too-long":
        path.write_bytes(raw + b"\0")
    elif what == "bad-magic":
        path.write_bytes(b"PK\x03\x04" + raw[4:])
    elif what == "float-type":
        path.write_bytes(raw[:2] + b"\x0d" + raw[3:])
    elif what == "header-only":
        path.write_bytes(raw[:6])
    elif what == "empty":
        path.write_bytes(b"")
    elif what == "truncated-gzip":
        path.write_bytes(gzip.compress(raw)[:-40])
    elif what == "corrupt-gzip":
        data = bytearray(gzip.compress(raw))
        data[20:40] = b"\xff" * 20
        path.write_bytes(bytes(data))
    elif what == "huge-declared":
        path.write_bytes(raw[:4] + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big") + (60000).to_bytes(4, "big"))
    elif what == "missing":
        pass
    return path


@pytest.mark.parametrize(
    "what, message",
    [
        ("truncated", "truncated"),
        ("too-long", "beyond"),
        ("bad-magic", "not an IDX file"),
        ("float-type", "unsigned bytes"),
        ("header-only", "truncated inside its header"),
        ("empty", "too short"),
        ("truncated-gzip", "truncated or corrupt"),
        ("corrupt-gzip", "corrupt"),
        ("huge-declared", "too many"),
        ("missing", "no such file"),
    ],
)
def test_damaged_files_give_an_error_naming_the_file_and_the_problem(tmp_path, what, message):
    path = damaged(tmp_path, what)
    with pytest.raises(DatasetError, match=message) as info:
        read_idx(path, ndim=3)
    assert str(path) in str(info.value)


def test_labels_file_where_images_expected_is_refused(tmp_path):
    path = write_idx(tmp_path / "labels", np.zeros(5, np.uint8))
    with pytest.raises(DatasetError, match="1 dimensions where 3"):
        read_idx(path, ndim=3)


def test_loads_any_dataset_in_the_same_layout_with_class_names(tmp_path):
    names = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"]
    folder = make_idx_dataset(tmp_path / "fashion", n_train=60, n_test=20, class_names=names)
    dataset = load_dataset(folder)
    assert dataset.name == "fashion" and dataset.class_names == tuple(names)
    assert (len(dataset.train), len(dataset.validation), len(dataset.test)) == (50, 10, 20)


def test_other_image_sizes_set_the_input_layer(tmp_path):
    dataset = load_dataset(make_idx_dataset(tmp_path / "small", shape=(8, 8), n_classes=3,
                                            class_names=["a", "b", "c"]))
    assert dataset.n_inputs == 64 and dataset.n_classes == 3


def test_labels_outside_the_classes_are_refused(tmp_path):
    folder = make_idx_dataset(tmp_path / "d")
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.array([1] * 29 + [12], np.uint8))
    with pytest.raises(DatasetError, match="test label 12 at index 29 is outside the classes 0-9"):
        load_dataset(folder)


def test_mismatched_image_and_label_counts_are_refused(tmp_path):
    folder = make_idx_dataset(tmp_path / "d")
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(7, np.uint8))
    with pytest.raises(DatasetError, match="120 images but 7 labels"):
        load_dataset(folder)


def test_a_missing_file_or_folder_is_named(tmp_path):
    folder = make_idx_dataset(tmp_path / "d")
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match="missing t10k-images-idx3-ubyte"):
        load_dataset(folder)
    with pytest.raises(DatasetError, match="no such folder"):
        load_dataset(tmp_path / "nowhere")
