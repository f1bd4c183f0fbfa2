// The paper's own results, transcribed from its text (../shared/seed).

package experiment

// paperNumbers are the paper's results as printed (accuracies and F1 in
// percent) by system, condition and column title: Table 1 (avt), Table 2
// (av, at, vt) and Table 3 (v, a, t).
var paperNumbers = map[string]map[string]map[string]string{
	"svm": {
		"avt": {"MOSI MAE": "1.864", "MOSI Corr": "0.057", "MOSI Acc-2": "50.2", "MOSI F1": "50.1", "MOSI Acc-7": "17.5", "POM MAE": "0.887", "POM Corr": "0.104", "POM Acc": "33.9", "IEMOCAP F1-Hp": "81.5", "IEMOCAP F1-Sd": "78.8", "IEMOCAP F1-Ag": "82.4", "IEMOCAP F1-Nu": "64.9"},
		"av":  {"MOSI MAE": "1.553", "MOSI Corr": "0.006", "MOSI Acc-2": "51.7", "MOSI F1": "12.6", "MOSI Acc-7": "16.3", "POM MAE": "0.951", "POM Corr": "0.054", "POM Acc": "29.7", "IEMOCAP F1-Hp": "73.4", "IEMOCAP F1-Sd": "73.8", "IEMOCAP F1-Ag": "67.8", "IEMOCAP F1-Nu": "55.2"},
		"at":  {"MOSI MAE": "1.982", "MOSI Corr": "0.116", "MOSI Acc-2": "53.5", "MOSI F1": "11.6", "MOSI Acc-7": "14.7", "POM MAE": "1.038", "POM Corr": "0.059", "POM Acc": "30.9", "IEMOCAP F1-Hp": "78.9", "IEMOCAP F1-Sd": "76.8", "IEMOCAP F1-Ag": "72.6", "IEMOCAP F1-Nu": "51.3"},
		"vt":  {"MOSI MAE": "1.977", "MOSI Corr": "0.091", "MOSI Acc-2": "54.1", "MOSI F1": "19.7", "MOSI Acc-7": "15.7", "POM MAE": "1.047", "POM Corr": "0.053", "POM Acc": "30.1", "IEMOCAP F1-Hp": "75.4", "IEMOCAP F1-Sd": "72.9", "IEMOCAP F1-Ag": "66.5", "IEMOCAP F1-Nu": "56.1"},
		"v":   {"MOSI MAE": "1.481", "MOSI Corr": "0.010", "MOSI Acc-2": "48.1", "MOSI F1": "17.4", "MOSI Acc-7": "14.7", "POM MAE": "0.995", "POM Corr": "0.015", "POM Acc": "32.5", "IEMOCAP F1-Hp": "68.3", "IEMOCAP F1-Sd": "70.1", "IEMOCAP F1-Ag": "66.8", "IEMOCAP F1-Nu": "54.2"},
		"a":   {"MOSI MAE": "1.595", "MOSI Corr": "0.007", "MOSI Acc-2": "46.9", "MOSI F1": "13.7", "MOSI Acc-7": "16.0", "POM MAE": "0.893", "POM Corr": "0.047", "POM Acc": "33.7", "IEMOCAP F1-Hp": "67.9", "IEMOCAP F1-Sd": "72.1", "IEMOCAP F1-Ag": "71.9", "IEMOCAP F1-Nu": "51.3"},
		"t":   {"MOSI MAE": "1.983", "MOSI Corr": "0.091", "MOSI Acc-2": "54.2", "MOSI F1": "17.9", "MOSI Acc-7": "15.1", "POM MAE": "0.999", "POM Corr": "0.051", "POM Acc": "30.1", "IEMOCAP F1-Hp": "72.9", "IEMOCAP F1-Sd": "75.6", "IEMOCAP F1-Ag": "65.3", "IEMOCAP F1-Nu": "41.4"},
	},
	"df": {
		"avt": {"MOSI MAE": "1.143", "MOSI Corr": "0.518", "MOSI Acc-2": "72.3", "MOSI F1": "72.1", "MOSI Acc-7": "26.8", "POM MAE": "0.869", "POM Corr": "0.144", "POM Acc": "34.1", "IEMOCAP F1-Hp": "81.0", "IEMOCAP F1-Sd": "81.2", "IEMOCAP F1-Ag": "65.4", "IEMOCAP F1-Nu": "44.0"},
	},
	"bc-lstm": {
		"avt": {"MOSI MAE": "1.079", "MOSI Corr": "0.581", "MOSI Acc-2": "73.9", "MOSI F1": "73.9", "MOSI Acc-7": "28.7", "POM MAE": "0.840", "POM Corr": "0.278", "POM Acc": "34.8", "IEMOCAP F1-Hp": "81.7", "IEMOCAP F1-Sd": "81.7", "IEMOCAP F1-Ag": "84.2", "IEMOCAP F1-Nu": "64.1"},
	},
	"mv-lstm": {
		"avt": {"MOSI MAE": "1.019", "MOSI Corr": "0.601", "MOSI Acc-2": "73.9", "MOSI F1": "74.0", "MOSI Acc-7": "33.2", "POM MAE": "0.891", "POM Corr": "0.270", "POM Acc": "34.6", "IEMOCAP F1-Hp": "81.3", "IEMOCAP F1-Sd": "74.0", "IEMOCAP F1-Ag": "84.3", "IEMOCAP F1-Nu": "66.7"},
	},
	"marn": {
		"avt": {"MOSI MAE": "0.968", "MOSI Corr": "0.625", "MOSI Acc-2": "77.1", "MOSI F1": "77.0", "MOSI Acc-7": "34.7", "POM MAE": "-", "POM Corr": "-", "POM Acc": "39.4", "IEMOCAP F1-Hp": "83.6", "IEMOCAP F1-Sd": "81.2", "IEMOCAP F1-Ag": "84.2", "IEMOCAP F1-Nu": "65.9"},
	},
	"mfn": {
		"avt": {"MOSI MAE": "0.965", "MOSI Corr": "0.632", "MOSI Acc-2": "77.4", "MOSI F1": "77.3", "MOSI Acc-7": "34.1", "POM MAE": "0.805", "POM Corr": "0.349", "POM Acc": "41.7", "IEMOCAP F1-Hp": "84.0", "IEMOCAP F1-Sd": "82.1", "IEMOCAP F1-Ag": "83.7", "IEMOCAP F1-Nu": "69.2"},
	},
	"tfn": {
		"avt": {"MOSI MAE": "0.970", "MOSI Corr": "0.633", "MOSI Acc-2": "73.9", "MOSI F1": "73.4", "MOSI Acc-7": "32.1", "POM MAE": "0.886", "POM Corr": "0.093", "POM Acc": "31.6", "IEMOCAP F1-Hp": "83.6", "IEMOCAP F1-Sd": "82.8", "IEMOCAP F1-Ag": "84.2", "IEMOCAP F1-Nu": "65.4"},
	},
	"lmf": {
		"avt": {"MOSI MAE": "0.912", "MOSI Corr": "0.668", "MOSI Acc-2": "76.4", "MOSI F1": "75.7", "MOSI Acc-7": "32.8", "POM MAE": "0.796", "POM Corr": "0.396", "POM Acc": "42.8", "IEMOCAP F1-Hp": "85.8", "IEMOCAP F1-Sd": "85.9", "IEMOCAP F1-Ag": "89.0", "IEMOCAP F1-Nu": "71.7"},
	},
	"ours": {
		"avt": {"MOSI MAE": "0.996", "MOSI Corr": "0.606", "MOSI Acc-2": "74.0", "MOSI F1": "74.0", "MOSI Acc-7": "34.3", "POM MAE": "0.836", "POM Corr": "0.313", "POM Acc": "36.2", "IEMOCAP F1-Hp": "86.0", "IEMOCAP F1-Sd": "85.9", "IEMOCAP F1-Ag": "88.7", "IEMOCAP F1-Nu": "72.3"},
		"av":  {"MOSI MAE": "1.374", "MOSI Corr": "0.126", "MOSI Acc-2": "55.7", "MOSI F1": "54.7", "MOSI Acc-7": "22.1", "POM MAE": "0.865", "POM Corr": "0.243", "POM Acc": "34.8", "IEMOCAP F1-Hp": "82.2", "IEMOCAP F1-Sd": "81.5", "IEMOCAP F1-Ag": "85.2", "IEMOCAP F1-Nu": "54.2"},
		"at":  {"MOSI MAE": "1.117", "MOSI Corr": "0.569", "MOSI Acc-2": "70.7", "MOSI F1": "70.8", "MOSI Acc-7": "29.8", "POM MAE": "0.863", "POM Corr": "0.248", "POM Acc": "33.6", "IEMOCAP F1-Hp": "83.6", "IEMOCAP F1-Sd": "83.2", "IEMOCAP F1-Ag": "87.1", "IEMOCAP F1-Nu": "68.5"},
		"vt":  {"MOSI MAE": "1.082", "MOSI Corr": "0.569", "MOSI Acc-2": "69.4", "MOSI F1": "69.8", "MOSI Acc-7": "33.4", "POM MAE": "0.881", "POM Corr": "0.256", "POM Acc": "33.7", "IEMOCAP F1-Hp": "83.5", "IEMOCAP F1-Sd": "81.7", "IEMOCAP F1-Ag": "84.0", "IEMOCAP F1-Nu": "65.2"},
		"v":   {"MOSI MAE": "1.390", "MOSI Corr": "0.137", "MOSI Acc-2": "55.2", "MOSI F1": "50.7", "MOSI Acc-7": "18.2", "POM MAE": "0.875", "POM Corr": "0.136", "POM Acc": "34.1", "IEMOCAP F1-Hp": "82.5", "IEMOCAP F1-Sd": "82.6", "IEMOCAP F1-Ag": "86.1", "IEMOCAP F1-Nu": "66.7"},
		"a":   {"MOSI MAE": "1.377", "MOSI Corr": "0.160", "MOSI Acc-2": "56.7", "MOSI F1": "56.2", "MOSI Acc-7": "22.7", "POM MAE": "0.879", "POM Corr": "0.147", "POM Acc": "33.2", "IEMOCAP F1-Hp": "83.2", "IEMOCAP F1-Sd": "81.4", "IEMOCAP F1-Ag": "85.7", "IEMOCAP F1-Nu": "66.1"},
		"t":   {"MOSI MAE": "1.074", "MOSI Corr": "0.570", "MOSI Acc-2": "71.8", "MOSI F1": "70.9", "MOSI Acc-7": "30.5", "POM MAE": "0.884", "POM Corr": "0.273", "POM Acc": "35.4", "IEMOCAP F1-Hp": "84.1", "IEMOCAP F1-Sd": "82.0", "IEMOCAP F1-Ag": "86.2", "IEMOCAP F1-Nu": "66.9"},
	},
	"strh": {
		"av": {"MOSI MAE": "1.479", "MOSI Corr": "0.009", "MOSI Acc-2": "53.5", "MOSI F1": "17.4", "MOSI Acc-7": "16.7", "POM MAE": "0.929", "POM Corr": "0.032", "POM Acc": "34.2", "IEMOCAP F1-Hp": "71.0", "IEMOCAP F1-Sd": "78.8", "IEMOCAP F1-Ag": "71.9", "IEMOCAP F1-Nu": "52.3"},
		"at": {"MOSI MAE": "1.447", "MOSI Corr": "0.089", "MOSI Acc-2": "51.3", "MOSI F1": "18.9", "MOSI Acc-7": "19.5", "POM MAE": "0.912", "POM Corr": "0.013", "POM Acc": "32.7", "IEMOCAP F1-Hp": "79.3", "IEMOCAP F1-Sd": "79.6", "IEMOCAP F1-Ag": "78.6", "IEMOCAP F1-Nu": "54.2"},
		"vt": {"MOSI MAE": "1.420", "MOSI Corr": "0.005", "MOSI Acc-2": "51.9", "MOSI F1": "31.4", "MOSI Acc-7": "18.7", "POM MAE": "0.923", "POM Corr": "0.012", "POM Acc": "32.5", "IEMOCAP F1-Hp": "73.6", "IEMOCAP F1-Sd": "71.3", "IEMOCAP F1-Ag": "73.5", "IEMOCAP F1-Nu": "56.2"},
		"v":  {"MOSI MAE": "1.458", "MOSI Corr": "0.004", "MOSI Acc-2": "52.5", "MOSI F1": "11.3", "MOSI Acc-7": "16.3", "POM MAE": "0.939", "POM Corr": "0.023", "POM Acc": "34.0", "IEMOCAP F1-Hp": "70.2", "IEMOCAP F1-Sd": "61.3", "IEMOCAP F1-Ag": "57.3", "IEMOCAP F1-Nu": "51.4"},
		"a":  {"MOSI MAE": "1.522", "MOSI Corr": "0.003", "MOSI Acc-2": "51.9", "MOSI F1": "10.7", "MOSI Acc-7": "16.2", "POM MAE": "0.885", "POM Corr": "0.037", "POM Acc": "32.4", "IEMOCAP F1-Hp": "68.5", "IEMOCAP F1-Sd": "69.4", "IEMOCAP F1-Ag": "72.4", "IEMOCAP F1-Nu": "41.9"},
		"t":  {"MOSI MAE": "1.433", "MOSI Corr": "0.002", "MOSI Acc-2": "53.4", "MOSI F1": "25.4", "MOSI Acc-7": "17.1", "POM MAE": "0.921", "POM Corr": "0.018", "POM Acc": "33.5", "IEMOCAP F1-Hp": "71.2", "IEMOCAP F1-Sd": "70.2", "IEMOCAP F1-Ag": "71.9", "IEMOCAP F1-Nu": "53.7"},
	},
	"deep-s": {
		"av": {"MOSI MAE": "1.429", "MOSI Corr": "0.113", "MOSI Acc-2": "44.7", "MOSI F1": "27.6", "MOSI Acc-7": "15.7", "POM MAE": "1.100", "POM Corr": "0.141", "POM Acc": "29.7", "IEMOCAP F1-Hp": "79.4", "IEMOCAP F1-Sd": "73.8", "IEMOCAP F1-Ag": "67.8", "IEMOCAP F1-Nu": "59.2"},
		"at": {"MOSI MAE": "1.311", "MOSI Corr": "0.313", "MOSI Acc-2": "56.5", "MOSI F1": "47.7", "MOSI Acc-7": "21.6", "POM MAE": "1.155", "POM Corr": "0.159", "POM Acc": "31.3", "IEMOCAP F1-Hp": "78.9", "IEMOCAP F1-Sd": "76.8", "IEMOCAP F1-Ag": "72.6", "IEMOCAP F1-Nu": "58.5"},
		"vt": {"MOSI MAE": "1.323", "MOSI Corr": "0.331", "MOSI Acc-2": "56.5", "MOSI F1": "47.7", "MOSI Acc-7": "21.3", "POM MAE": "1.124", "POM Corr": "0.166", "POM Acc": "31.1", "IEMOCAP F1-Hp": "79.4", "IEMOCAP F1-Sd": "72.9", "IEMOCAP F1-Ag": "66.5", "IEMOCAP F1-Nu": "64.1"},
		"v":  {"MOSI MAE": "1.441", "MOSI Corr": "0.130", "MOSI Acc-2": "44.7", "MOSI F1": "27.6", "MOSI Acc-7": "15.4", "POM MAE": "1.069", "POM Corr": "0.148", "POM Acc": "29.5", "IEMOCAP F1-Hp": "79.9", "IEMOCAP F1-Sd": "70.3", "IEMOCAP F1-Ag": "67.8", "IEMOCAP F1-Nu": "64.8"},
		"a":  {"MOSI MAE": "1.417", "MOSI Corr": "0.095", "MOSI Acc-2": "44.8", "MOSI F1": "27.6", "MOSI Acc-7": "16.0", "POM MAE": "1.131", "POM Corr": "0.134", "POM Acc": "29.9", "IEMOCAP F1-Hp": "78.9", "IEMOCAP F1-Sd": "78.1", "IEMOCAP F1-Ag": "79.9", "IEMOCAP F1-Nu": "53.7"},
		"t":  {"MOSI MAE": "1.206", "MOSI Corr": "0.532", "MOSI Acc-2": "68.3", "MOSI F1": "67.9", "MOSI Acc-7": "27.2", "POM MAE": "1.180", "POM Corr": "0.184", "POM Acc": "32.7", "IEMOCAP F1-Hp": "78.9", "IEMOCAP F1-Sd": "75.6", "IEMOCAP F1-Ag": "65.3", "IEMOCAP F1-Nu": "63.4"},
	},
	"lmf-s": {
		"av": {"MOSI MAE": "1.467", "MOSI Corr": "0.074", "MOSI Acc-2": "44.7", "MOSI F1": "47.4", "MOSI Acc-7": "18.5", "POM MAE": "0.988", "POM Corr": "0.120", "POM Acc": "32.6", "IEMOCAP F1-Hp": "81.0", "IEMOCAP F1-Sd": "78.8", "IEMOCAP F1-Ag": "81.9", "IEMOCAP F1-Nu": "54.5"},
		"at": {"MOSI MAE": "1.103", "MOSI Corr": "0.541", "MOSI Acc-2": "68.9", "MOSI F1": "69.0", "MOSI Acc-7": "29.0", "POM MAE": "0.903", "POM Corr": "0.171", "POM Acc": "32.9", "IEMOCAP F1-Hp": "79.3", "IEMOCAP F1-Sd": "79.6", "IEMOCAP F1-Ag": "83.6", "IEMOCAP F1-Nu": "64.4"},
		"vt": {"MOSI MAE": "1.165", "MOSI Corr": "0.527", "MOSI Acc-2": "68.2", "MOSI F1": "68.2", "MOSI Acc-7": "28.5", "POM MAE": "0.904", "POM Corr": "0.183", "POM Acc": "33.1", "IEMOCAP F1-Hp": "82.6", "IEMOCAP F1-Sd": "81.0", "IEMOCAP F1-Ag": "82.4", "IEMOCAP F1-Nu": "63.9"},
		"v":  {"MOSI MAE": "1.398", "MOSI Corr": "0.066", "MOSI Acc-2": "55.2", "MOSI F1": "52.3", "MOSI Acc-7": "21.1", "POM MAE": "1.050", "POM Corr": "0.104", "POM Acc": "29.8", "IEMOCAP F1-Hp": "80.4", "IEMOCAP F1-Sd": "70.6", "IEMOCAP F1-Ag": "66.8", "IEMOCAP F1-Nu": "54.3"},
		"a":  {"MOSI MAE": "1.458", "MOSI Corr": "0.040", "MOSI Acc-2": "49.1", "MOSI F1": "48.2", "MOSI Acc-7": "16.0", "POM MAE": "0.930", "POM Corr": "0.151", "POM Acc": "32.4", "IEMOCAP F1-Hp": "78.9", "IEMOCAP F1-Sd": "79.7", "IEMOCAP F1-Ag": "82.3", "IEMOCAP F1-Nu": "48.4"},
		"t":  {"MOSI MAE": "1.108", "MOSI Corr": "0.535", "MOSI Acc-2": "69.3", "MOSI F1": "68.4", "MOSI Acc-7": "27.9", "POM MAE": "0.912", "POM Corr": "0.228", "POM Acc": "33.2", "IEMOCAP F1-Hp": "81.4", "IEMOCAP F1-Sd": "80.2", "IEMOCAP F1-Ag": "81.2", "IEMOCAP F1-Nu": "63.5"},
	},
	"ours-fixed": {
		"av": {"MOSI MAE": "1.457", "MOSI Corr": "0.070", "MOSI Acc-2": "51.6", "MOSI F1": "50.5", "MOSI Acc-7": "17.6", "POM MAE": "0.878", "POM Corr": "0.209", "POM Acc": "34.3", "IEMOCAP F1-Hp": "79.7", "IEMOCAP F1-Sd": "82.2", "IEMOCAP F1-Ag": "84.8", "IEMOCAP F1-Nu": "49.5"},
		"at": {"MOSI MAE": "1.091", "MOSI Corr": "0.547", "MOSI Acc-2": "69.2", "MOSI F1": "70.1", "MOSI Acc-7": "30.9", "POM MAE": "0.881", "POM Corr": "0.247", "POM Acc": "33.1", "IEMOCAP F1-Hp": "80.7", "IEMOCAP F1-Sd": "82.3", "IEMOCAP F1-Ag": "85.7", "IEMOCAP F1-Nu": "65.6"},
		"vt": {"MOSI MAE": "1.076", "MOSI Corr": "0.531", "MOSI Acc-2": "67.9", "MOSI F1": "67.9", "MOSI Acc-7": "27.8", "POM MAE": "0.887", "POM Corr": "0.230", "POM Acc": "32.8", "IEMOCAP F1-Hp": "81.6", "IEMOCAP F1-Sd": "82.3", "IEMOCAP F1-Ag": "86.4", "IEMOCAP F1-Nu": "63.5"},
		"v":  {"MOSI MAE": "1.466", "MOSI Corr": "0.180", "MOSI Acc-2": "45.5", "MOSI F1": "30.9", "MOSI Acc-7": "15.5", "POM MAE": "0.869", "POM Corr": "0.144", "POM Acc": "34.3", "IEMOCAP F1-Hp": "81.8", "IEMOCAP F1-Sd": "81.7", "IEMOCAP F1-Ag": "85.6", "IEMOCAP F1-Nu": "65.3"},
		"a":  {"MOSI MAE": "1.475", "MOSI Corr": "0.075", "MOSI Acc-2": "51.6", "MOSI F1": "49.9", "MOSI Acc-7": "18.9", "POM MAE": "0.867", "POM Corr": "0.204", "POM Acc": "33.8", "IEMOCAP F1-Hp": "82.4", "IEMOCAP F1-Sd": "80.9", "IEMOCAP F1-Ag": "86.3", "IEMOCAP F1-Nu": "64.8"},
		"t":  {"MOSI MAE": "1.084", "MOSI Corr": "0.541", "MOSI Acc-2": "70.3", "MOSI F1": "70.4", "MOSI Acc-7": "30.4", "POM MAE": "0.912", "POM Corr": "0.218", "POM Acc": "33.8", "IEMOCAP F1-Hp": "83.6", "IEMOCAP F1-Sd": "83.2", "IEMOCAP F1-Ag": "85.9", "IEMOCAP F1-Nu": "64.9"},
	},
}
