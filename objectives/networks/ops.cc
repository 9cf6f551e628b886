#include "objectives/networks/ops.h"

#include "torch/nn/functional/padding.h"
#include "torch/nn/functional/pooling.h"
#include "torch/torch.h"

namespace nas {
namespace ops {
namespace {
thread_local FlopCounter* current_counter = nullptr;
thread_local ActivationObserver* current_observer = nullptr;
}  // namespace

ActivationObserver::ActivationObserver() : previous_(current_observer) {
  current_observer = this;
}
ActivationObserver::~ActivationObserver() { current_observer = previous_; }
ActivationObserver* ActivationObserver::Current() { return current_observer; }

torch::Tensor Relu(const torch::Tensor& x) {
  if (current_observer != nullptr) current_observer->ReluInput(x);
  return torch::relu(x);
}

FlopCounter::FlopCounter() : previous_(current_counter) {
  current_counter = this;
}
FlopCounter::~FlopCounter() { current_counter = previous_; }

void FlopCounter::Add(int64_t flops) {
  if (current_counter != nullptr) current_counter->flops_ += flops;
}

Conv::Conv(int in, int out, int kernel, int stride, int padding, int dilation,
           int groups)
    : per_output_(static_cast<int64_t>(kernel) * kernel * (in / groups)) {
  conv_ = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                    .stride(stride)
                                    .padding(padding)
                                    .dilation(dilation)
                                    .groups(groups)
                                    .bias(false)));
}

torch::Tensor Conv::forward(const torch::Tensor& x) {
  torch::Tensor y = conv_->forward(x);
  // Per image: output elements (channels x height x width) x MACs each.
  FlopCounter::Add(per_output_ * y.size(1) * y.size(2) * y.size(3));
  if (current_observer != nullptr) current_observer->LayerOutput(y);
  return y;
}

Linear::Linear(int in, int out) {
  linear_ = register_module("linear", torch::nn::Linear(in, out));
}

torch::Tensor Linear::forward(const torch::Tensor& x) {
  // MACs plus the bias additions (the NAS-Bench-201 convention).
  FlopCounter::Add(linear_->weight.size(0) * (linear_->weight.size(1) + 1));
  torch::Tensor y = linear_->forward(x);
  if (current_observer != nullptr) current_observer->LayerOutput(y);
  return y;
}

BatchNorm::BatchNorm(int channels) {
  bn_ = register_module("bn", torch::nn::BatchNorm2d(channels));
}

torch::Tensor BatchNorm::forward(const torch::Tensor& x) {
  return bn_->forward(x);
}

ReluConvBn::ReluConvBn(int in, int out, int kernel, int stride, int padding,
                       int dilation) {
  conv_ = register_module(
      "conv", std::make_shared<Conv>(in, out, kernel, stride, padding,
                                     dilation));
  bn_ = register_module("bn", std::make_shared<BatchNorm>(out));
}

torch::Tensor ReluConvBn::forward(const torch::Tensor& x) {
  return bn_->forward(conv_->forward(Relu(x)));
}

DilConv::DilConv(int in, int out, int kernel, int stride, int padding,
                 int dilation) {
  depthwise_ = register_module(
      "depthwise", std::make_shared<Conv>(in, in, kernel, stride, padding,
                                          dilation, /*groups=*/in));
  pointwise_ = register_module("pointwise",
                               std::make_shared<Conv>(in, out, 1, 1, 0));
  bn_ = register_module("bn", std::make_shared<BatchNorm>(out));
}

torch::Tensor DilConv::forward(const torch::Tensor& x) {
  return bn_->forward(pointwise_->forward(depthwise_->forward(Relu(x))));
}

SepConv::SepConv(int in, int out, int kernel, int stride, int padding) {
  first_ = register_module(
      "first", std::make_shared<DilConv>(in, in, kernel, stride, padding, 1));
  second_ = register_module(
      "second", std::make_shared<DilConv>(in, out, kernel, 1, padding, 1));
}

torch::Tensor SepConv::forward(const torch::Tensor& x) {
  return second_->forward(first_->forward(x));
}

FactorizedReduce::FactorizedReduce(int in, int out) {
  conv_a_ = register_module("conv_a",
                            std::make_shared<Conv>(in, out / 2, 1, 2, 0));
  conv_b_ = register_module(
      "conv_b", std::make_shared<Conv>(in, out - out / 2, 1, 2, 0));
  bn_ = register_module("bn", std::make_shared<BatchNorm>(out));
}

torch::Tensor FactorizedReduce::forward(const torch::Tensor& input) {
  torch::Tensor x = Relu(input);
  const int64_t pad_h = x.size(2) % 2, pad_w = x.size(3) % 2;
  if (pad_h != 0 || pad_w != 0) {
    x = torch::constant_pad_nd(x, {0, pad_w, 0, pad_h}, 0);
  }
  torch::Tensor shifted = x.index({torch::indexing::Slice(),
                                   torch::indexing::Slice(),
                                   torch::indexing::Slice(1, torch::indexing::None),
                                   torch::indexing::Slice(1, torch::indexing::None)});
  // x has even sides here, so both halves come out at half its size.
  return bn_->forward(
      torch::cat({conv_a_->forward(x), conv_b_->forward(shifted)}, 1));
}

Pool::Pool(Kind kind, int stride) : kind_(kind), stride_(stride) {}

torch::Tensor Pool::forward(const torch::Tensor& x) {
  if (kind_ == kAverage) {
    return torch::avg_pool2d(x, {3, 3}, {stride_, stride_}, {1, 1},
                             /*ceil_mode=*/false,
                             /*count_include_pad=*/false);
  }
  return torch::max_pool2d(x, {3, 3}, {stride_, stride_}, {1, 1});
}

torch::Tensor Zero::forward(const torch::Tensor& x) {
  return torch::zeros_like(x);
}

}  // namespace ops
}  // namespace nas
