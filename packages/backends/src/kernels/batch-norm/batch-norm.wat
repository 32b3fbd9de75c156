;; Fused BatchNorm kernels for the tfjs wasm backend, in WebAssembly text with 128-bit SIMD.
;;
;; The module imports the memory of the tfjs wasm backend, so it reads and writes tensors
;; where they live. Every tensor is row-major [rows, channels] float32 with channels a
;; multiple of 4, and every pointer is a byte offset into that memory. Sums accumulate in
;; float64 in a scratch area of 16 * channels bytes that the caller provides.
;;
;; scripts/build-wasm.mjs assembles this file into batch-norm-module.ts; edit this file,
;; then run `npm run build:wasm` in packages/backends.
(module
  (import "env" "memory" (memory 0))

  ;; Sets the 16 * channels bytes at $scratch to zero.
  (func $clear (param $scratch i32) (param $channels i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $scratch) (i32.shl (local.get $channels) (i32.const 4))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $scratch) (local.get $end)))
        (v128.store (local.get $scratch) (v128.const i64x2 0 0))
        (local.set $scratch (i32.add (local.get $scratch) (i32.const 16)))
        (br $next))))

  ;; Adds the four float32 lanes of $values to the float64 accumulators at $at (lanes 0-1)
  ;; and $at + 16 (lanes 2-3), and their squares to those at $at + 32 and $at + 48.
  (func $accumulate (param $at i32) (param $values v128)
    (local $low v128)
    (local $high v128)
    (local.set $low (f64x2.promote_low_f32x4 (local.get $values)))
    (local.set $high
      (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
          (local.get $values) (local.get $values))))
    (v128.store offset=0 (local.get $at)
      (f64x2.add (v128.load offset=0 (local.get $at)) (local.get $low)))
    (v128.store offset=16 (local.get $at)
      (f64x2.add (v128.load offset=16 (local.get $at)) (local.get $high)))
    (v128.store offset=32 (local.get $at)
      (f64x2.add (v128.load offset=32 (local.get $at))
        (f64x2.mul (local.get $low) (local.get $low))))
    (v128.store offset=48 (local.get $at)
      (f64x2.add (v128.load offset=48 (local.get $at))
        (f64x2.mul (local.get $high) (local.get $high)))))

  ;; Adds $first to the accumulators at $at and $at + 16, and the products $first * $second
  ;; (in float64) to those at $at + 32 and $at + 48.
  (func $accumulatePair (param $at i32) (param $first v128) (param $second v128)
    (local $firstLow v128)
    (local $firstHigh v128)
    (local.set $firstLow (f64x2.promote_low_f32x4 (local.get $first)))
    (local.set $firstHigh
      (f64x2.promote_low_f32x4
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
          (local.get $first) (local.get $first))))
    (v128.store offset=0 (local.get $at)
      (f64x2.add (v128.load offset=0 (local.get $at)) (local.get $firstLow)))
    (v128.store offset=16 (local.get $at)
      (f64x2.add (v128.load offset=16 (local.get $at)) (local.get $firstHigh)))
    (v128.store offset=32 (local.get $at)
      (f64x2.add (v128.load offset=32 (local.get $at))
        (f64x2.mul (local.get $firstLow)
          (f64x2.promote_low_f32x4 (local.get $second)))))
    (v128.store offset=48 (local.get $at)
      (f64x2.add (v128.load offset=48 (local.get $at))
        (f64x2.mul (local.get $firstHigh)
          (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
              (local.get $second) (local.get $second)))))))

  ;; Joins two float64x2 values into one float32x4.
  (func $demote (param $low v128) (param $high v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $low))
      (f32x4.demote_f64x2_zero (local.get $high))))

  ;; Per-channel mean and sum of squared deviations M2 of x [rows, channels], written to
  ;; out as [mean (channels), M2 (channels)]. Values are shifted by the first row before
  ;; summing, so M2 = S2 - S1^2 / rows does not cancel when the mean is large.
  (func (export "moments")
    (param $x i32) (param $rows i32) (param $channels i32) (param $scratch i32) (param $out i32)
    (local $rowBytes i32)
    (local $row i32)
    (local $offset i32)
    (local $at i32)
    (local $count v128)
    (local $sumLow v128)
    (local $sumHigh v128)
    (local $meanLow v128)
    (local $meanHigh v128)
    (local $shift v128)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (call $clear (local.get $scratch) (local.get $channels))

    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $offset (i32.const 0))
        (local.set $at (local.get $scratch))
        (block $channelsDone
          (loop $nextChannels
            (br_if $channelsDone (i32.ge_u (local.get $offset) (local.get $rowBytes)))
            (call $accumulate (local.get $at)
              (f32x4.sub
                (v128.load
                  (i32.add
                    (i32.add (local.get $x) (i32.mul (local.get $row) (local.get $rowBytes)))
                    (local.get $offset)))
                (v128.load (i32.add (local.get $x) (local.get $offset)))))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (local.set $at (i32.add (local.get $at) (i32.const 64)))
            (br $nextChannels)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow)))

    (local.set $count (f64x2.splat (f64.convert_i32_u (local.get $rows))))
    (local.set $offset (i32.const 0))
    (local.set $at (local.get $scratch))
    (block $done
      (loop $nextGroup
        (br_if $done (i32.ge_u (local.get $offset) (local.get $rowBytes)))
        (local.set $sumLow (v128.load offset=0 (local.get $at)))
        (local.set $sumHigh (v128.load offset=16 (local.get $at)))
        (local.set $meanLow (f64x2.div (local.get $sumLow) (local.get $count)))
        (local.set $meanHigh (f64x2.div (local.get $sumHigh) (local.get $count)))
        (local.set $shift (v128.load (i32.add (local.get $x) (local.get $offset))))
        (v128.store (i32.add (local.get $out) (local.get $offset))
          (call $demote
            (f64x2.add (local.get $meanLow) (f64x2.promote_low_f32x4 (local.get $shift)))
            (f64x2.add (local.get $meanHigh)
              (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                  (local.get $shift) (local.get $shift))))))
        (v128.store
          (i32.add (i32.add (local.get $out) (local.get $rowBytes)) (local.get $offset))
          (call $demote
            (f64x2.max (v128.const f64x2 0 0)
              (f64x2.sub (v128.load offset=32 (local.get $at))
                (f64x2.mul (local.get $sumLow) (local.get $meanLow))))
            (f64x2.max (v128.const f64x2 0 0)
              (f64x2.sub (v128.load offset=48 (local.get $at))
                (f64x2.mul (local.get $sumHigh) (local.get $meanHigh))))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (br $nextGroup))))

  ;; y = max(x * scale + shift, floor) per channel, for x and y [rows, channels] and scale
  ;; and shift [channels]. A floor of 0 applies ReLU, and -Infinity applies nothing.
  (func (export "scaleShift")
    (param $x i32) (param $scale i32) (param $shift i32) (param $y i32)
    (param $rows i32) (param $channels i32) (param $floor f32)
    (local $rowBytes i32)
    (local $end i32)
    (local $offset i32)
    (local $lower v128)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $end
      (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (local.set $lower (f32x4.splat (local.get $floor)))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $offset (i32.const 0))
        (block $channelsDone
          (loop $nextChannels
            (br_if $channelsDone (i32.ge_u (local.get $offset) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $y) (local.get $offset))
              (f32x4.max
                (f32x4.add
                  (f32x4.mul
                    (v128.load (i32.add (local.get $x) (local.get $offset)))
                    (v128.load (i32.add (local.get $scale) (local.get $offset))))
                  (v128.load (i32.add (local.get $shift) (local.get $offset))))
                (local.get $lower)))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (br $nextChannels)))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (local.get $rowBytes)))
        (br $nextRow))))

  ;; Per-channel sums of g and g * (x - mean), written to out as [sum g, sum g(x - mean)],
  ;; where g = dy where gate > floor and 0 elsewhere. Passing the forward output as gate
  ;; with a floor of 0 applies the ReLU gradient. Passing x with -Infinity keeps every dy.
  (func (export "gradSums")
    (param $dy i32) (param $x i32) (param $gate i32) (param $mean i32)
    (param $rows i32) (param $channels i32) (param $floor f32)
    (param $scratch i32) (param $out i32)
    (local $rowBytes i32)
    (local $row i32)
    (local $base i32)
    (local $offset i32)
    (local $at i32)
    (local $lower v128)
    (local $gradient v128)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $lower (f32x4.splat (local.get $floor)))
    (call $clear (local.get $scratch) (local.get $channels))

    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $base (i32.mul (local.get $row) (local.get $rowBytes)))
        (local.set $offset (i32.const 0))
        (local.set $at (local.get $scratch))
        (block $channelsDone
          (loop $nextChannels
            (br_if $channelsDone (i32.ge_u (local.get $offset) (local.get $rowBytes)))
            (local.set $gradient
              (v128.and
                (v128.load (i32.add (i32.add (local.get $dy) (local.get $base)) (local.get $offset)))
                (f32x4.gt
                  (v128.load
                    (i32.add (i32.add (local.get $gate) (local.get $base)) (local.get $offset)))
                  (local.get $lower))))
            (call $accumulatePair (local.get $at) (local.get $gradient)
              (f32x4.sub
                (v128.load (i32.add (i32.add (local.get $x) (local.get $base)) (local.get $offset)))
                (v128.load (i32.add (local.get $mean) (local.get $offset)))))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (local.set $at (i32.add (local.get $at) (i32.const 64)))
            (br $nextChannels)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow)))

    (local.set $offset (i32.const 0))
    (local.set $at (local.get $scratch))
    (block $done
      (loop $nextGroup
        (br_if $done (i32.ge_u (local.get $offset) (local.get $rowBytes)))
        (v128.store (i32.add (local.get $out) (local.get $offset))
          (call $demote (v128.load offset=0 (local.get $at)) (v128.load offset=16 (local.get $at))))
        (v128.store
          (i32.add (i32.add (local.get $out) (local.get $rowBytes)) (local.get $offset))
          (call $demote (v128.load offset=32 (local.get $at)) (v128.load offset=48 (local.get $at))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (br $nextGroup))))

  ;; dx = g * k1 + (x - mean) * k2 + k3 per channel, with g as in gradSums.
  (func (export "gradInput")
    (param $dy i32) (param $x i32) (param $gate i32) (param $mean i32)
    (param $k1 i32) (param $k2 i32) (param $k3 i32) (param $dx i32)
    (param $rows i32) (param $channels i32) (param $floor f32)
    (local $rowBytes i32)
    (local $row i32)
    (local $base i32)
    (local $offset i32)
    (local $lower v128)
    (local.set $rowBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $lower (f32x4.splat (local.get $floor)))
    (block $rowsDone
      (loop $nextRow
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $base (i32.mul (local.get $row) (local.get $rowBytes)))
        (local.set $offset (i32.const 0))
        (block $channelsDone
          (loop $nextChannels
            (br_if $channelsDone (i32.ge_u (local.get $offset) (local.get $rowBytes)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $base)) (local.get $offset))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul
                    (v128.and
                      (v128.load
                        (i32.add (i32.add (local.get $dy) (local.get $base)) (local.get $offset)))
                      (f32x4.gt
                        (v128.load
                          (i32.add (i32.add (local.get $gate) (local.get $base)) (local.get $offset)))
                        (local.get $lower)))
                    (v128.load (i32.add (local.get $k1) (local.get $offset))))
                  (f32x4.mul
                    (f32x4.sub
                      (v128.load
                        (i32.add (i32.add (local.get $x) (local.get $base)) (local.get $offset)))
                      (v128.load (i32.add (local.get $mean) (local.get $offset))))
                    (v128.load (i32.add (local.get $k2) (local.get $offset)))))
                (v128.load (i32.add (local.get $k3) (local.get $offset)))))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (br $nextChannels)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $nextRow)))))
