// Package layers holds the neural layers of modistill: Linear, MLP, LSTM,
// Dropout, BatchNorm1d and Embedding. Each layer is a struct of named
// parameters (nn.Param) with a Forward method that records its computation on
// an autodiff tape; parameter layouts and names follow PyTorch, so weights
// move between the two unchanged.
package layers
