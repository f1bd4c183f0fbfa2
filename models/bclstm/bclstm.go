// Package bclstm is the bidirectional contextual LSTM (BC-LSTM; Poria et
// al., "Context-Dependent Sentiment Analysis in User-Generated Videos", ACL
// 2017): each utterance's modality features, concatenated, are read by a
// bidirectional LSTM over the utterances of its video, so that every
// utterance's prediction sees its neighbours, then a dense layer and the
// head.
//
// Interpreted: the paper extracts utterance features with its own networks
// (a text CNN, openSMILE, a 3D CNN) and offers a hierarchical variant; here
// the utterance features are METHOD.md's modality encoders, trained jointly,
// and the fusion is the concatenation (its non-hierarchical variant). The
// videos come from the sample ids ("video$_$clip", as MMSA writes them); a
// dataset without ids (the synthetic benchmark, LMF's pickles) makes every
// utterance its own video, a plain utterance model, and the model says so.
package bclstm

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/models/supervised"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Config holds BC-LSTM's hyperparameters.
type Config struct {
	Encoder     encoder.Config `json:"encoder"`
	Context     int            `json:"context"` // units of each direction of the context LSTM
	Dense       int            `json:"dense"`   // the dense layer after it
	LR          float64        `json:"lr"`
	WeightDecay float64        `json:"weight_decay"`
}

// DefaultConfig uses METHOD.md's encoders and 32 units.
func DefaultConfig() Config {
	return Config{Encoder: encoder.DefaultConfig(), Context: 32, Dense: 32, LR: 1e-3}
}

// Model is BC-LSTM with its optimizer.
type Model struct {
	supervised.Trainer
	Enc         *encoder.Encoders
	Fwd, Bwd    *layers.LSTM
	Dense, Head *layers.Linear
	drop        layers.Dropout
}

// New builds BC-LSTM for data of the given dimensions.
func New(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	enc := encoder.New("enc", dims, c.Encoder, rng)
	zd := enc.OutDims()
	m := &Model{Enc: enc, drop: layers.Dropout{Rate: c.Encoder.Dropout}}
	in := zd[0] + zd[1] + zd[2]
	m.Fwd = layers.NewLSTM("context_fwd", in, c.Context, rng)
	m.Bwd = layers.NewLSTM("context_bwd", in, c.Context, rng)
	m.Dense = layers.NewLinear("dense", 2*c.Context, c.Dense, true, rng)
	m.Head = layers.NewLinear("head", c.Dense, task.Outputs(), true, rng)
	m.Trainer = supervised.Trainer{Task: task, Forward: m.forward,
		Opt: optim.NewAdam(optim.Group{Params: m.Params(), LR: c.LR, WeightDecay: c.WeightDecay})}
	return m, nil
}

// Params returns every parameter.
func (m *Model) Params() []*nn.Param { return nn.Join(m.Enc, m.Fwd, m.Bwd, m.Dense, m.Head) }

// BatchByVideo asks the training loop for batches of whole videos.
func (m *Model) BatchByVideo() bool { return true }

// Note says whether the data lets the model see context.
func (m *Model) Note(ds *data.Dataset) string {
	if ds.Train.IDs == nil {
		return "bc-lstm: the data has no sample ids, so no video context: every utterance is its own video (a plain utterance model)"
	}
	return ""
}

// forward returns the outputs for a batch: the context features through
// the dense layer and the head.
func (m *Model) forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	h := m.context(tp, mode, b)
	return m.Head.Forward(tp, m.drop.Forward(tp, mode, tp.ReLU(m.Dense.Forward(tp, m.drop.Forward(tp, mode, h)))))
}

// context returns each utterance's features read in the context of the
// batch's other utterances of its video: the forward and backward LSTMs'
// states at its position, (B, 2·Context).
func (m *Model) context(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	z := m.Enc.Encode(tp, mode, encoder.FromBatch(tp, b, data.All))
	u := tp.Concat(z[0], z[1], z[2]) // utterance features (B, D)
	groups := b.Videos()
	L := 0
	for _, g := range groups {
		L = max(L, len(g))
	}
	G, D, H := len(groups), u.Value.Cols(), m.Fwd.Hidden()
	fwd, bwd := make([]int, G*L), make([]int, G*L) // padded, and reversed, video sequences
	back := [2][]int{make([]int, b.N()), make([]int, b.N())}
	lengths := make([]int, G)
	for g, rows := range groups {
		lengths[g] = len(rows)
		for p := range L {
			fwd[g*L+p], bwd[g*L+p] = -1, -1
			if p < len(rows) {
				fwd[g*L+p], bwd[g*L+p] = rows[p], rows[len(rows)-1-p]
				back[0][rows[p]] = g*L + p                 // where each utterance's forward output is
				back[1][rows[p]] = g*L + len(rows) - 1 - p // and its backward one
			}
		}
	}
	hf, _ := m.Fwd.Sequence(tp, tp.Reshape(tp.GatherRows(u, fwd), G, L, D), lengths)
	hb, _ := m.Bwd.Sequence(tp, tp.Reshape(tp.GatherRows(u, bwd), G, L, D), lengths)
	return tp.Concat(tp.GatherRows(tp.Reshape(hf, G*L, H), back[0]), tp.GatherRows(tp.Reshape(hb, G*L, H), back[1]))
}

// Subsets: BC-LSTM needs all three modalities.
func (m *Model) Subsets() []data.Subset { return []data.Subset{data.All} }

// Predict returns predictions (class probabilities for classification);
// use must be data.All.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	data.MustTake("BC-LSTM", use, m.Subsets())
	return m.Predictions(tp, b)
}
