/**
 * Implementation of the x402 wire protocol shared with the emulator and benchmarks of this project;
 * not API, no compatibility promise. Applications use {@link io.sandbox402.x402}.
 */
@NullMarked
package io.sandbox402.x402.internal;

import org.jspecify.annotations.NullMarked;
