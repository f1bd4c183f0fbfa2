package experiment

import (
	"math"
	"strings"

	"github.com/modistill/modistill/charts"
	"github.com/modistill/modistill/train"
)

// temperatureKeys are the temperatures the adaptive model reports each epoch:
// T_s (on the students' sentiment) and T_z (on the representations), per
// modality.
var temperatureKeys = []string{"T_s_a", "T_s_v", "T_s_t", "T_z_a", "T_z_v", "T_z_t"}

// TemperaturesOf extracts, from a training history, each temperature's mean
// value per epoch; nil when the model learned none. A non-finite value
// (a diverged epoch) ends that temperature's series.
func TemperaturesOf(history []train.Epoch) map[string][]float64 {
	var out map[string][]float64
	for _, k := range temperatureKeys {
		var y []float64
		for _, e := range history {
			v, ok := e.Metrics[k]
			if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
				break
			}
			y = append(y, v)
		}
		if len(y) > 0 {
			if out == nil {
				out = map[string][]float64{}
			}
			out[k] = y
		}
	}
	return out
}

// TemperatureSeries averages the temperatures of several runs epoch by epoch
// (over the runs that reached the epoch) into chart lines: T_s solid, T_z
// dashed, one colour per modality.
func TemperatureSeries(runs []map[string][]float64) []charts.Series {
	var series []charts.Series
	for j, k := range temperatureKeys {
		var sums []float64
		var counts []int
		for _, r := range runs {
			for i, v := range r[k] {
				for len(sums) <= i {
					sums, counts = append(sums, 0), append(counts, 0)
				}
				sums[i] += v
				counts[i]++
			}
		}
		if len(sums) == 0 {
			continue
		}
		for i := range sums {
			sums[i] /= float64(counts[i])
		}
		name := map[string]string{"a": "audio", "v": "visual", "t": "text"}[k[strings.LastIndexByte(k, '_')+1:]]
		series = append(series, charts.Series{Name: k[:3] + " " + name, Y: sums, Color: j % 3, Dashed: j >= 3})
	}
	return series
}
