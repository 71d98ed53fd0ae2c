#pragma once
// tryghed::stats — a small dense matrix value used in the public API
// (covariance matrices of estimates). Column-major, like R and Eigen, so
// internal code can map it without copying. Eigen stays inside the .cpp files.
#include <cassert>
#include <cstddef>
#include <vector>

namespace tryghed::stats {

struct Matrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  // column-major, size rows * cols

  Matrix() = default;
  Matrix(std::size_t r, std::size_t c, double fill = 0.0) : rows(r), cols(c), values(r * c, fill) {}

  double& operator()(std::size_t r, std::size_t c) {
    assert(r < rows && c < cols);
    return values[c * rows + r];
  }
  double operator()(std::size_t r, std::size_t c) const {
    assert(r < rows && c < cols);
    return values[c * rows + r];
  }
};

}  // namespace tryghed::stats
