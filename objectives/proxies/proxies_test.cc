// Each proxy against a value computed independently: by hand on a one-layer
// softmax classifier (closed-form gradients, Hessian-vector product and
// Jacobian), by forward passes only for synflow on a real NAS-Bench-201
// network, and by counting for the size proxies. One test binary: each
// libtorch translation unit takes long to compile.

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "objectives/networks/network.h"
#include "objectives/networks/ops.h"
#include "objectives/proxies/proxy.h"
#include "objectives/proxies/score_cache.h"
#include "objectives/trained/data.h"
#include "spaces/nasbench201/nasbench201.h"
#include "torch/torch.h"

namespace nas {
namespace {

double Score(const std::string& name, Network& network,
             const NetworkShape& shape, const Minibatch& batch) {
  auto proxy = MakeProxy(name);
  EXPECT_TRUE(proxy.ok()) << proxy.status();
  auto score = (*proxy)->Score(network, shape, batch);
  EXPECT_TRUE(score.ok()) << score.status();
  return *score;
}

// logits = W x + b on the flattened image; also shows its input to a ReLU
// (result unused) so that NASWOT sees the images' own sign patterns.
class SoftmaxClassifier : public Network {
 public:
  SoftmaxClassifier(int inputs, int classes) {
    linear_ = register_module("linear", std::make_shared<ops::Linear>(inputs, classes));
  }
  torch::Tensor forward(const torch::Tensor& images) override {
    ops::Relu(images);
    return linear_->forward(images.flatten(1));
  }
  torch::Tensor weight() { return PrunableWeights(*this)[0]; }
  torch::Tensor bias() {
    return parameters()[0].dim() == 1 ? parameters()[0] : parameters()[1];
  }

 private:
  std::shared_ptr<ops::Linear> linear_;
};

class ClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(7);
    shape_.input_channels = 1;
    shape_.input_height = 2;
    shape_.input_width = 3;
    shape_.num_classes = kClasses;
    batch_.images = torch::randn({kBatch, 1, 2, 3});
    batch_.labels = torch::tensor({0, 2, 1, 2}, torch::kInt64);
    net_ = std::make_shared<SoftmaxClassifier>(6, kClasses);
    x_ = batch_.images.flatten(1);
    const torch::Tensor w = net_->weight().detach();
    p_ = torch::softmax(x_.matmul(w.t()) + net_->bias().detach(), 1);
    const torch::Tensor onehot =
        torch::one_hot(batch_.labels, kClasses).to(torch::kFloat32);
    // dL/dlogits and dL/dW of the mean cross-entropy, by hand.
    dlogits_ = (p_ - onehot) / kBatch;
    dw_ = dlogits_.t().matmul(x_);
  }
  static constexpr int kBatch = 4, kClasses = 3;
  NetworkShape shape_;
  Minibatch batch_;
  std::shared_ptr<SoftmaxClassifier> net_;
  torch::Tensor x_, p_, dlogits_, dw_;
};

TEST_F(ClassifierTest, GradNormIsTheNormOfTheClosedFormGradient) {
  EXPECT_NEAR(Score("grad_norm", *net_, shape_, batch_),
              dw_.norm().item<double>(), 1e-6);
}

TEST_F(ClassifierTest, SnipIsSumOfAbsWeightTimesGradient) {
  const torch::Tensor w = net_->weight().detach().clone();
  EXPECT_NEAR(Score("snip", *net_, shape_, batch_),
              (w * dw_).abs().sum().item<double>(), 1e-6);
}

TEST_F(ClassifierTest, GraspIsMinusWeightTimesHessianGradientProduct) {
  const torch::Tensor w = net_->weight().detach().clone();
  // Per image n: the Hessian of its loss in W is
  // (diag(p_n) - p_n p_n^T) (x) x_n x_n^T, so (H G)_n = u_n x_n^T with
  // v_n = G x_n and u_n = p_n * v_n - p_n (p_n . v_n).
  torch::Tensor hg = torch::zeros_like(w);
  for (int n = 0; n < kBatch; ++n) {
    const torch::Tensor p = p_[n], x = x_[n];
    const torch::Tensor v = dw_.matmul(x);
    const torch::Tensor u = p * v - p * (p * v).sum();
    hg += torch::outer(u, x) / kBatch;
  }
  EXPECT_NEAR(Score("grasp", *net_, shape_, batch_),
              -(w * hg).sum().item<double>(), 1e-6);
}

TEST_F(ClassifierTest, FisherOfTheLogits) {
  const torch::Tensor logits =
      x_.matmul(net_->weight().detach().t()) + net_->bias().detach();
  const double expected =
      (logits * dlogits_).pow(2).mean(0).mul(0.5).sum().item<double>();
  EXPECT_NEAR(Score("fisher", *net_, shape_, batch_), expected, 1e-9);
}

TEST_F(ClassifierTest, JacobCovOfALinearMapIsRankOne) {
  // Every image has the same input gradient (the column sums of W): the
  // correlation matrix is all ones, eigenvalues {B, 0, ..., 0}.
  const double k = 1e-5;
  const double expected = -(std::log(kBatch + k) + 1 / (kBatch + k) +
                            (kBatch - 1) * (std::log(k) + 1 / k));
  EXPECT_NEAR(Score("jacob_cov", *net_, shape_, batch_) / expected, 1.0, 1e-6);
}

TEST_F(ClassifierTest, NaswotIsTheLogDetOfTheHammingKernel) {
  // Codes (input > 0): image 0 = 110000, image 1 = 100001 share 4 units
  // (both 1 at unit 0, both 0 at units 2, 3, 4): K = [[6, 4], [4, 6]],
  // det 20.
  Minibatch two;
  two.images = torch::tensor({1.f, 2.f, -1.f, 0.f, -3.f, -1.f,  //
                              5.f, -2.f, 0.f, -1.f, 0.f, 4.f})
                   .reshape({2, 1, 2, 3});
  two.labels = torch::tensor({0, 1}, torch::kInt64);
  EXPECT_NEAR(Score("naswot", *net_, shape_, two), std::log(20.0), 1e-9);
  // Equal codes: a singular kernel.
  two.images[1] = two.images[0] * 2;
  EXPECT_EQ(Score("naswot", *net_, shape_, two),
            -std::numeric_limits<double>::infinity());
}

// A small NAS-Bench-201 network: C = 4, N = 1, 3x28x28.
class Nb201Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto space = Nasbench201Space::New();
    ASSERT_TRUE(space.ok());
    space_ = std::move(*space);
    shape_.channels = 4;
    shape_.cells = 1;
    shape_.input_height = shape_.input_width = 28;
  }
  std::shared_ptr<Network> Build(const std::string& text, uint64_t seed) {
    auto builder = FindNetworkBuilder("nasbench201");
    EXPECT_TRUE(builder.ok());
    auto arch = space_->Parse(text);
    EXPECT_TRUE(arch.ok()) << arch.status();
    auto network = (*builder)->Build(*space_, *arch, shape_);
    EXPECT_TRUE(network.ok());
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    InitializeDefaultWeights(**network, generator);
    return *network;
  }
  std::unique_ptr<Nasbench201Space> space_;
  NetworkShape shape_;
};

constexpr char kAllSkip[] =
    "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|"
    "skip_connect~1|skip_connect~2|";
constexpr char kMixed[] =
    "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|"
    "none~1|nor_conv_3x3~2|";

TEST_F(Nb201Test, ParamsCountedByHand) {
  // Skip connections have no weights. Stem 3*4*9 + BN 8; reductions:
  // 4*8*9 + 16 + 8*8*9 + 16 + 4*8 (shortcut), 8*16*9 + 32 + 16*16*9 + 32 +
  // 8*16; last BN 32; classifier 16*10 + 10.
  auto network = Build(kAllSkip, 1);
  EXPECT_EQ(Score("params", *network, shape_, {}),
            116 + 928 + 3648 + 32 + 170);
  EXPECT_EQ(Score("flops", *network, shape_, {}),
            CountFlops(*network, shape_));
}

// R is affine in each layer's weights once they are all non-negative (every
// ReLU sees non-negative inputs, BatchNorm is a fixed affine map), so
// theta . dR/dtheta over one layer equals R minus R with that layer zeroed:
// synflow by forward passes only.
TEST_F(Nb201Test, SynflowEqualsLayerwiseForwardDifferences) {
  auto network = Build(kMixed, 3);
  const double score = Score("synflow", *Build(kMixed, 3), shape_, {});
  network->to(torch::kFloat64);
  network->eval();
  torch::NoGradGuard no_grad;
  for (torch::Tensor& p : network->parameters()) p.abs_();
  const torch::Tensor ones = torch::ones({1, 3, 28, 28}, torch::kFloat64);
  const double r = network->forward(ones).sum().item<double>();
  double expected = 0;
  for (torch::Tensor& w : PrunableWeights(*network)) {
    const torch::Tensor saved = w.clone();
    w.zero_();
    expected += r - network->forward(ones).sum().item<double>();
    w.copy_(saved);
  }
  EXPECT_GT(score, 0);
  EXPECT_NEAR(score / expected, 1.0, 1e-9);
}

TEST_F(Nb201Test, EveryProxyIsDeterministicAndSeeded) {
  const std::string dir = kFashionMnistDefaultDir;
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no Fashion-MNIST in " << dir;
  auto batch = FashionMnistMinibatch(dir, shape_, 8, /*seed=*/0);
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->images.sizes(), torch::IntArrayRef({8, 3, 28, 28}));
  auto again = FashionMnistMinibatch(dir, shape_, 8, /*seed=*/0);
  EXPECT_EQ(again->digest, batch->digest);
  EXPECT_NE(FashionMnistMinibatch(dir, shape_, 8, /*seed=*/1)->digest,
            batch->digest);
  auto arch = space_->Parse(kMixed);
  for (const std::string& name : GlobalProxyRegistry().Names()) {
    SCOPED_TRACE(name);
    auto proxy = MakeProxy(name);
    ASSERT_TRUE(proxy.ok());
    auto a = ScoreArchitecture(**proxy, *space_, *arch, shape_, *batch, 5);
    auto b = ScoreArchitecture(**proxy, *space_, *arch, shape_, *batch, 5);
    auto c = ScoreArchitecture(**proxy, *space_, *arch, shape_, *batch, 6);
    ASSERT_TRUE(a.ok()) << a.status();
    EXPECT_TRUE(std::isfinite(*a));
    EXPECT_EQ(*a, *b);
    if (name != "params" && name != "flops") {
      EXPECT_NE(*a, *c);
    }
  }
}

TEST(ScoreCacheTest, StoresLooksUpAndRefusesAnotherKey) {
  const std::string dir = ::testing::TempDir() + "/score_cache";
  ScoreCache cache(dir);
  EXPECT_FALSE(cache.Lookup("k1")->has_value());
  ASSERT_TRUE(cache.Store("k1", 1.0 / 3).ok());
  EXPECT_EQ(**cache.Lookup("k1"), 1.0 / 3);
  ASSERT_TRUE(cache.Store("k2", -std::numeric_limits<double>::infinity()).ok());
  EXPECT_EQ(**cache.Lookup("k2"), -std::numeric_limits<double>::infinity());
  // A file that holds another key is refused, naming the file.
  std::filesystem::copy_file(cache.EntryPath("k1"), cache.EntryPath("k2"),
                             std::filesystem::copy_options::overwrite_existing);
  auto damaged = cache.Lookup("k2");
  EXPECT_FALSE(damaged.ok());
  EXPECT_NE(damaged.status().message().find(cache.EntryPath("k2")),
            std::string::npos);
}

}  // namespace
}  // namespace nas
