package metrics

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// MarshalJSON writes the scores as a JSON object with sorted keys; an
// undefined metric (NaN: a correlation of constant values, an accuracy over
// no sample) or an infinite one is written as null, since JSON has no NaN.
func (s Scores) MarshalJSON() ([]byte, error) {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b = append(b, kb...)
		b = append(b, ':')
		if v := s[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes: null is an undefined metric
// (NaN).
func (s *Scores) UnmarshalJSON(b []byte) error {
	var raw map[string]*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = make(Scores, len(raw))
	for k, v := range raw {
		if v == nil {
			(*s)[k] = math.NaN()
		} else {
			(*s)[k] = *v
		}
	}
	return nil
}
