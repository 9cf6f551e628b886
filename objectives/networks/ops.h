#ifndef NASBENCH_OBJECTIVES_NETWORKS_OPS_H_
#define NASBENCH_OBJECTIVES_NETWORKS_OPS_H_

// Building blocks shared by the network builders: the candidate operations
// of the cell spaces (as the NAS-Bench-201 and DARTS papers define them) and
// convolution / linear layers that count their own multiply-accumulates
// during CountFlops()'s forward pass.

#include <memory>

#include "torch/nn/module.h"
#include "torch/nn/modules/batchnorm.h"
#include "torch/nn/modules/conv.h"
#include "torch/nn/modules/linear.h"
#include "torch/types.h"

namespace nas {
namespace ops {

// A module with a single-tensor forward, so cells can hold any op.
class Op : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};
using OpPtr = std::shared_ptr<Op>;

// While a FlopCounter is alive on a thread, Conv and Linear layers run on
// that thread add their multiply-accumulates to it.
class FlopCounter {
 public:
  FlopCounter();
  ~FlopCounter();
  int64_t flops() const { return flops_; }
  static void Add(int64_t flops);

 private:
  int64_t flops_ = 0;
  FlopCounter* previous_;
};

// While an ActivationObserver is alive on a thread, the ops run on that
// thread show it what activation-based scores (zero-cost proxies) read: the
// input of every ReLU taken through ops::Relu and the output of every Conv
// and Linear layer. The innermost live observer sees them.
class ActivationObserver {
 public:
  ActivationObserver();
  virtual ~ActivationObserver();
  ActivationObserver(const ActivationObserver&) = delete;
  ActivationObserver& operator=(const ActivationObserver&) = delete;

  virtual void ReluInput(const torch::Tensor& x) {}
  // Non-const: an observer may call retain_grad() on it.
  virtual void LayerOutput(torch::Tensor& y) {}

  static ActivationObserver* Current();

 private:
  ActivationObserver* previous_;
};

// torch::relu, reported to the current ActivationObserver.
torch::Tensor Relu(const torch::Tensor& x);

// Conv2d without bias.
class Conv : public Op {
 public:
  Conv(int in, int out, int kernel, int stride, int padding, int dilation = 1,
       int groups = 1);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  torch::nn::Conv2d conv_{nullptr};
  int64_t per_output_;  // MACs per output element.
};

class Linear : public Op {
 public:
  Linear(int in, int out);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  torch::nn::Linear linear_{nullptr};
};

// BatchNorm2d, affine, tracking running statistics (PyTorch's defaults).
class BatchNorm : public Op {
 public:
  explicit BatchNorm(int channels);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  torch::nn::BatchNorm2d bn_{nullptr};
};

// ReLU -> conv (no bias) -> BN.
class ReluConvBn : public Op {
 public:
  ReluConvBn(int in, int out, int kernel, int stride, int padding,
             int dilation = 1);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  std::shared_ptr<Conv> conv_;
  std::shared_ptr<BatchNorm> bn_;
};

// DARTS's dilated depthwise-separable conv: ReLU -> depthwise k x k conv
// (dilation d) -> pointwise conv -> BN.
class DilConv : public Op {
 public:
  DilConv(int in, int out, int kernel, int stride, int padding, int dilation);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  std::shared_ptr<Conv> depthwise_, pointwise_;
  std::shared_ptr<BatchNorm> bn_;
};

// DARTS's separable conv: DilConv(dilation 1, stride s, in -> in) followed
// by DilConv(dilation 1, stride 1, in -> out).
class SepConv : public Op {
 public:
  SepConv(int in, int out, int kernel, int stride, int padding);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  std::shared_ptr<DilConv> first_, second_;
};

// Halves the resolution with two 1x1 stride-2 convs, one on the input and
// one on the input shifted by one pixel, concatenated (out/2 channels each)
// and batch-normalised. Odd sizes are padded by one row/column at the
// bottom/right first so both halves have the same size (the published
// definition assumes even sizes, where this changes nothing).
class FactorizedReduce : public Op {
 public:
  FactorizedReduce(int in, int out);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  std::shared_ptr<Conv> conv_a_, conv_b_;
  std::shared_ptr<BatchNorm> bn_;
};

// 3x3 pooling, padding 1; average pooling excludes the padding.
class Pool : public Op {
 public:
  enum Kind { kAverage, kMax };
  Pool(Kind kind, int stride);
  torch::Tensor forward(const torch::Tensor& x) override;

 private:
  Kind kind_;
  int stride_;
};

class Identity : public Op {
 public:
  torch::Tensor forward(const torch::Tensor& x) override { return x; }
};

// Zeros of the output shape (stride 1: the input's).
class Zero : public Op {
 public:
  torch::Tensor forward(const torch::Tensor& x) override;
};

}  // namespace ops
}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_NETWORKS_OPS_H_
