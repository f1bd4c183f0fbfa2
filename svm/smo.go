// Package svm is a support vector machine: C-support-vector classification
// and ε-support-vector regression (Cortes and Vapnik 1995; Vapnik 1998)
// with linear and RBF kernels, trained by sequential minimal optimisation
// with the second-order working-set selection of libsvm (Fan, Chen and Lin,
// "Working set selection using second order information for training SVM",
// JMLR 2005).
//
// Both problems are instances of one dual,
//
//	min_α ½ αᵀQα + pᵀα   subject to  yᵀα = 0,  0 <= α_t <= C,
//
// with y_t = ±1 and Q_st = y_s y_t K(x_s, x_t): classification has one
// variable per sample and p = -1; regression has two per sample (α and α*)
// and p = ε ∓ target.
package svm

import "math"

// tau stands in for a non-positive curvature (libsvm's TAU).
const tau = 1e-12

// solution is the optimum of the dual, or the last iterate if the
// iteration cap came first.
type solution struct {
	alpha     []float64
	rho       float64 // the decision function's offset
	iters     int
	converged bool
}

// solve runs SMO from α = 0 until the maximal violating pair's gap is
// below eps, or for maxIter iterations, whichever comes first (libsvm too
// returns its last iterate at its cap, with a warning).
func solve(q *signedQ, p []float64, y []int8, C, eps float64, maxIter int) (*solution, error) {
	n := len(p)
	alpha := make([]float64, n)
	G := append([]float64(nil), p...) // gradient Qα + p at α = 0
	upper := func(t int) bool { return alpha[t] >= C }
	lower := func(t int) bool { return alpha[t] <= 0 }
	for iter := 0; ; iter++ {
		if iter >= maxIter {
			return &solution{alpha: alpha, rho: rho(alpha, G, y, C), iters: iter}, nil
		}
		// Working set: i maximises -y_t G_t over I_up; j minimises the
		// second-order decrease over I_low (WSS 3 of Fan et al.).
		gmax, gmax2 := math.Inf(-1), math.Inf(-1)
		i, j := -1, -1
		for t := range n {
			if y[t] == 1 {
				if !upper(t) && -G[t] >= gmax {
					gmax, i = -G[t], t
				}
			} else if !lower(t) && G[t] >= gmax {
				gmax, i = G[t], t
			}
		}
		if i < 0 {
			return &solution{alpha: alpha, rho: rho(alpha, G, y, C), iters: iter, converged: true}, nil
		}
		Qi := q.row(i)
		qi := q.diag(i)
		best := math.Inf(1)
		for t := range n {
			var diff, quad float64
			if y[t] == 1 {
				if lower(t) {
					continue
				}
				diff = gmax + G[t]
				gmax2 = math.Max(gmax2, G[t])
				quad = qi + q.diag(t) - 2*float64(y[i])*Qi[t]
			} else {
				if upper(t) {
					continue
				}
				diff = gmax - G[t]
				gmax2 = math.Max(gmax2, -G[t])
				quad = qi + q.diag(t) + 2*float64(y[i])*Qi[t]
			}
			if diff > 0 {
				if quad <= 0 {
					quad = tau
				}
				if obj := -diff * diff / quad; obj <= best {
					best, j = obj, t
				}
			}
		}
		if gmax+gmax2 < eps || j < 0 {
			return &solution{alpha: alpha, rho: rho(alpha, G, y, C), iters: iter, converged: true}, nil
		}
		Qi = append([]float64(nil), Qi...) // row(j) may reuse its buffer
		Qj := q.row(j)
		oi, oj := alpha[i], alpha[j]
		if y[i] != y[j] {
			quad := qi + q.diag(j) + 2*Qi[j]
			if quad <= 0 {
				quad = tau
			}
			delta := (-G[i] - G[j]) / quad
			diff := alpha[i] - alpha[j]
			alpha[i] += delta
			alpha[j] += delta
			if diff > 0 {
				if alpha[j] < 0 {
					alpha[j], alpha[i] = 0, diff
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, -diff
			}
			if diff > 0 { // C_i = C_j = C
				if alpha[i] > C {
					alpha[i], alpha[j] = C, C-diff
				}
			} else if alpha[j] > C {
				alpha[j], alpha[i] = C, C+diff
			}
		} else {
			quad := qi + q.diag(j) - 2*Qi[j]
			if quad <= 0 {
				quad = tau
			}
			delta := (G[i] - G[j]) / quad
			sum := alpha[i] + alpha[j]
			alpha[i] -= delta
			alpha[j] += delta
			if sum > C {
				if alpha[i] > C {
					alpha[i], alpha[j] = C, sum-C
				}
			} else if alpha[j] < 0 {
				alpha[j], alpha[i] = 0, sum
			}
			if sum > C {
				if alpha[j] > C {
					alpha[j], alpha[i] = C, sum-C
				}
			} else if alpha[i] < 0 {
				alpha[i], alpha[j] = 0, sum
			}
		}
		di, dj := alpha[i]-oi, alpha[j]-oj
		for t := range n {
			G[t] += Qi[t]*di + Qj[t]*dj
		}
	}
}

// rho is the offset: the mean of y_t G_t over free variables, or the middle
// of its feasible interval if none is free (libsvm's calculate_rho).
func rho(alpha, G []float64, y []int8, C float64) float64 {
	ub, lb := math.Inf(1), math.Inf(-1)
	var sum float64
	free := 0
	for t, a := range alpha {
		yG := float64(y[t]) * G[t]
		switch {
		case a >= C:
			if y[t] == -1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		case a <= 0:
			if y[t] == 1 {
				ub = math.Min(ub, yG)
			} else {
				lb = math.Max(lb, yG)
			}
		default:
			free++
			sum += yG
		}
	}
	if free > 0 {
		return sum / float64(free)
	}
	return (ub + lb) / 2
}
