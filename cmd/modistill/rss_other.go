//go:build !unix

package main

// peakRSSMiB is unknown on this platform.
func peakRSSMiB() float64 { return -1 }
