/**
 * The application of the startup benchmark.
 */
package io.attach.benchmarks.startup;
