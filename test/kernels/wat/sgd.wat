(module
  (type (;0;) (func (param i32 i32 i32 i32 f64 f64 f64 f64 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 f64 f64 f64 f64 i32)))
  (type (;2;) (func (param i32 i32 i32 i32 f64 f64 f64 f64 i32)))
  (type (;3;) (func (param i32 i32 i32 i32 f64 f64 f64 f64 i32)))
  (func $sgd_pairs_f32 (type 0) (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $mom f64) (param $keep f64) (param $negLr f64) (param $wd f64) (param $flags i32)
    (local $end i32) (local $vmom v128) (local $vkeep v128) (local $vneg v128) (local $vwd v128) (local $d v128) (local $bv v128)
    local.get $mom
    f64x2.splat
    local.set $vmom
    local.get $keep
    f64x2.splat
    local.set $vkeep
    local.get $negLr
    f64x2.splat
    local.set $vneg
    local.get $wd
    f64x2.splat
    local.set $vwd
    local.get $p
    local.get $n
    i32.const 4
    i32.mul
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $p
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $g
        v128.load64_zero
        f64x2.promote_low_f32x4
        local.set $d
        local.get $flags
        i32.const 16
        i32.and
        if  ;; label = @3
          local.get $d
          f64x2.neg
          local.set $d
        end
        local.get $flags
        i32.const 4
        i32.and
        if  ;; label = @3
          local.get $d
          local.get $vwd
          local.get $p
          v128.load64_zero
          f64x2.promote_low_f32x4
          f64x2.mul
          f64x2.add
          f32x4.demote_f64x2_zero
          f64x2.promote_low_f32x4
          local.set $d
        end
        local.get $flags
        i32.const 2
        i32.and
        if  ;; label = @3
          local.get $flags
          i32.const 1
          i32.and
          if  ;; label = @4
            local.get $d
            local.set $bv
          else
            local.get $b
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $vmom
            f64x2.mul
            f32x4.demote_f64x2_zero
            f64x2.promote_low_f32x4
            local.get $vkeep
            local.get $d
            f64x2.mul
            f64x2.add
            f32x4.demote_f64x2_zero
            f64x2.promote_low_f32x4
            local.set $bv
          end
          local.get $b
          local.get $bv
          f32x4.demote_f64x2_zero
          v128.store64_lane 0
          local.get $flags
          i32.const 8
          i32.and
          if  ;; label = @4
            local.get $d
            local.get $vmom
            local.get $bv
            f64x2.mul
            f64x2.add
            f32x4.demote_f64x2_zero
            f64x2.promote_low_f32x4
            local.set $d
          else
            local.get $bv
            local.set $d
          end
        end
        local.get $p
        local.get $p
        v128.load64_zero
        f64x2.promote_low_f32x4
        local.get $vneg
        local.get $d
        f64x2.mul
        f64x2.add
        f32x4.demote_f64x2_zero
        v128.store64_lane 0
        local.get $p
        i32.const 8
        i32.add
        local.set $p
        local.get $g
        i32.const 8
        i32.add
        local.set $g
        local.get $b
        i32.const 8
        i32.add
        local.set $b
        br 0 (;@2;)
      end
    end)
  (func $sgd_pairs_f64 (type 1) (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $mom f64) (param $keep f64) (param $negLr f64) (param $wd f64) (param $flags i32)
    (local $end i32) (local $vmom v128) (local $vkeep v128) (local $vneg v128) (local $vwd v128) (local $d v128) (local $bv v128)
    local.get $mom
    f64x2.splat
    local.set $vmom
    local.get $keep
    f64x2.splat
    local.set $vkeep
    local.get $negLr
    f64x2.splat
    local.set $vneg
    local.get $wd
    f64x2.splat
    local.set $vwd
    local.get $p
    local.get $n
    i32.const 8
    i32.mul
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $p
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $g
        v128.load
        local.set $d
        local.get $flags
        i32.const 16
        i32.and
        if  ;; label = @3
          local.get $d
          f64x2.neg
          local.set $d
        end
        local.get $flags
        i32.const 4
        i32.and
        if  ;; label = @3
          local.get $d
          local.get $vwd
          local.get $p
          v128.load
          f64x2.mul
          f64x2.add
          local.set $d
        end
        local.get $flags
        i32.const 2
        i32.and
        if  ;; label = @3
          local.get $flags
          i32.const 1
          i32.and
          if  ;; label = @4
            local.get $d
            local.set $bv
          else
            local.get $b
            v128.load
            local.get $vmom
            f64x2.mul
            local.get $vkeep
            local.get $d
            f64x2.mul
            f64x2.add
            local.set $bv
          end
          local.get $b
          local.get $bv
          v128.store
          local.get $flags
          i32.const 8
          i32.and
          if  ;; label = @4
            local.get $d
            local.get $vmom
            local.get $bv
            f64x2.mul
            f64x2.add
            local.set $d
          else
            local.get $bv
            local.set $d
          end
        end
        local.get $p
        local.get $p
        v128.load
        local.get $vneg
        local.get $d
        f64x2.mul
        f64x2.add
        v128.store
        local.get $p
        i32.const 16
        i32.add
        local.set $p
        local.get $g
        i32.const 16
        i32.add
        local.set $g
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        br 0 (;@2;)
      end
    end)
  (func $sgd_quads_f32 (type 2) (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $mom f64) (param $keep f64) (param $negLr f64) (param $wd f64) (param $flags i32)
    (local $end i32) (local $vmom v128) (local $vkeep v128) (local $vneg v128) (local $bv v128)
    local.get $mom
    f32.demote_f64
    f32x4.splat
    local.set $vmom
    local.get $keep
    f64x2.splat
    local.set $vkeep
    local.get $negLr
    f64x2.splat
    local.set $vneg
    local.get $p
    local.get $n
    i32.const 4
    i32.mul
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $p
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $flags
        i32.const 1
        i32.and
        if  ;; label = @3
          local.get $g
          v128.load
          local.set $bv
        else
          local.get $b
          v128.load
          local.get $vmom
          f32x4.mul
          local.get $g
          v128.load
          f32x4.add
          local.set $bv
        end
        local.get $b
        local.get $bv
        v128.store
        local.get $p
        local.get $p
        v128.load64_zero
        f64x2.promote_low_f32x4
        local.get $b
        v128.load64_zero
        f64x2.promote_low_f32x4
        local.get $vneg
        f64x2.mul
        f64x2.add
        f32x4.demote_f64x2_zero
        v128.store64_lane 0
        local.get $p
        local.get $p
        v128.load64_zero offset=8
        f64x2.promote_low_f32x4
        local.get $b
        v128.load64_zero offset=8
        f64x2.promote_low_f32x4
        local.get $vneg
        f64x2.mul
        f64x2.add
        f32x4.demote_f64x2_zero
        v128.store64_lane offset=8 0
        local.get $p
        i32.const 16
        i32.add
        local.set $p
        local.get $g
        i32.const 16
        i32.add
        local.set $g
        local.get $b
        i32.const 16
        i32.add
        local.set $b
        br 0 (;@2;)
      end
    end)
  (func $sgd_quads_f64 (type 3) (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $mom f64) (param $keep f64) (param $negLr f64) (param $wd f64) (param $flags i32)
    (local $end i32) (local $vmom v128) (local $vkeep v128) (local $vneg v128) (local $bv v128)
    local.get $mom
    f64x2.splat
    local.set $vmom
    local.get $keep
    f64x2.splat
    local.set $vkeep
    local.get $negLr
    f64x2.splat
    local.set $vneg
    local.get $p
    local.get $n
    i32.const 8
    i32.mul
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $p
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $flags
        i32.const 1
        i32.and
        if  ;; label = @3
          local.get $g
          v128.load
          local.set $bv
        else
          local.get $b
          v128.load
          local.get $vmom
          f64x2.mul
          local.get $vkeep
          local.get $g
          v128.load
          f64x2.mul
          f64x2.add
          local.set $bv
        end
        local.get $b
        local.get $bv
        v128.store
        local.get $p
        local.get $p
        v128.load
        local.get $vneg
        local.get $bv
        f64x2.mul
        f64x2.add
        v128.store
        local.get $flags
        i32.const 1
        i32.and
        if  ;; label = @3
          local.get $g
          v128.load offset=16
          local.set $bv
        else
          local.get $b
          v128.load offset=16
          local.get $vmom
          f64x2.mul
          local.get $vkeep
          local.get $g
          v128.load offset=16
          f64x2.mul
          f64x2.add
          local.set $bv
        end
        local.get $b
        local.get $bv
        v128.store offset=16
        local.get $p
        local.get $p
        v128.load offset=16
        local.get $vneg
        local.get $bv
        f64x2.mul
        f64x2.add
        v128.store offset=16
        local.get $p
        i32.const 32
        i32.add
        local.set $p
        local.get $g
        i32.const 32
        i32.add
        local.set $g
        local.get $b
        i32.const 32
        i32.add
        local.set $b
        br 0 (;@2;)
      end
    end)
  (memory (;0;) 2)
  (export "memory" (memory 0))
  (export "sgd_pairs_f32" (func $sgd_pairs_f32))
  (export "sgd_pairs_f64" (func $sgd_pairs_f64))
  (export "sgd_quads_f32" (func $sgd_quads_f32))
  (export "sgd_quads_f64" (func $sgd_quads_f64)))
