(module
  (type (;0;) (func (param i32 i32 i32 i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32 i32)))
  (func $mv_f32 (type 0) (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $i i32) (local $xp i32) (local $end i32) (local $last i32) (local $ap0 i32) (local $acc00 v128) (local $acc01 v128) (local $ap1 i32) (local $acc10 v128) (local $acc11 v128)
    i32.const 0
    local.set $i
    local.get $m
    i32.const 1
    i32.sub
    local.set $last
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $last
        i32.ge_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc00
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc01
        local.get $a
        local.get $i
        i32.const 0
        i32.add
        local.get $k
        i32.mul
        i32.const 4
        i32.mul
        i32.add
        local.set $ap0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc10
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc11
        local.get $a
        local.get $i
        i32.const 1
        i32.add
        local.get $k
        i32.mul
        i32.const 4
        i32.mul
        i32.add
        local.set $ap1
        local.get $x
        local.set $xp
        local.get $ap0
        local.get $k
        i32.const 4
        i32.mul
        i32.add
        local.set $end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $ap0
            local.get $end
            i32.ge_s
            br_if 1 (;@3;)
            local.get $acc00
            local.get $ap0
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc00
            local.get $acc01
            local.get $ap0
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc01
            local.get $ap0
            i32.const 16
            i32.add
            local.set $ap0
            local.get $acc10
            local.get $ap1
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc10
            local.get $acc11
            local.get $ap1
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc11
            local.get $ap1
            i32.const 16
            i32.add
            local.set $ap1
            local.get $xp
            i32.const 16
            i32.add
            local.set $xp
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc00
        v128.store
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc01
        v128.store offset=16
        local.get $y
        local.get $i
        i32.const 1
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc10
        v128.store
        local.get $y
        local.get $i
        i32.const 1
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc11
        v128.store offset=16
        local.get $i
        i32.const 2
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $m
        i32.ge_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc00
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc01
        local.get $a
        local.get $i
        i32.const 0
        i32.add
        local.get $k
        i32.mul
        i32.const 4
        i32.mul
        i32.add
        local.set $ap0
        local.get $x
        local.set $xp
        local.get $ap0
        local.get $k
        i32.const 4
        i32.mul
        i32.add
        local.set $end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $ap0
            local.get $end
            i32.ge_s
            br_if 1 (;@3;)
            local.get $acc00
            local.get $ap0
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc00
            local.get $acc01
            local.get $ap0
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            local.get $xp
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            f64x2.mul
            f64x2.add
            local.set $acc01
            local.get $ap0
            i32.const 16
            i32.add
            local.set $ap0
            local.get $xp
            i32.const 16
            i32.add
            local.set $xp
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc00
        v128.store
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc01
        v128.store offset=16
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end)
  (func $mv_f64 (type 1) (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $i i32) (local $xp i32) (local $end i32) (local $last i32) (local $ap0 i32) (local $acc00 v128) (local $acc01 v128) (local $ap1 i32) (local $acc10 v128) (local $acc11 v128)
    i32.const 0
    local.set $i
    local.get $m
    i32.const 1
    i32.sub
    local.set $last
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $last
        i32.ge_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc00
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc01
        local.get $a
        local.get $i
        i32.const 0
        i32.add
        local.get $k
        i32.mul
        i32.const 8
        i32.mul
        i32.add
        local.set $ap0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc10
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc11
        local.get $a
        local.get $i
        i32.const 1
        i32.add
        local.get $k
        i32.mul
        i32.const 8
        i32.mul
        i32.add
        local.set $ap1
        local.get $x
        local.set $xp
        local.get $ap0
        local.get $k
        i32.const 8
        i32.mul
        i32.add
        local.set $end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $ap0
            local.get $end
            i32.ge_s
            br_if 1 (;@3;)
            local.get $acc00
            local.get $ap0
            v128.load
            local.get $xp
            v128.load
            f64x2.mul
            f64x2.add
            local.set $acc00
            local.get $acc01
            local.get $ap0
            v128.load offset=16
            local.get $xp
            v128.load offset=16
            f64x2.mul
            f64x2.add
            local.set $acc01
            local.get $ap0
            i32.const 32
            i32.add
            local.set $ap0
            local.get $acc10
            local.get $ap1
            v128.load
            local.get $xp
            v128.load
            f64x2.mul
            f64x2.add
            local.set $acc10
            local.get $acc11
            local.get $ap1
            v128.load offset=16
            local.get $xp
            v128.load offset=16
            f64x2.mul
            f64x2.add
            local.set $acc11
            local.get $ap1
            i32.const 32
            i32.add
            local.set $ap1
            local.get $xp
            i32.const 32
            i32.add
            local.set $xp
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc00
        v128.store
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc01
        v128.store offset=16
        local.get $y
        local.get $i
        i32.const 1
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc10
        v128.store
        local.get $y
        local.get $i
        i32.const 1
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc11
        v128.store offset=16
        local.get $i
        i32.const 2
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $m
        i32.ge_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc00
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc01
        local.get $a
        local.get $i
        i32.const 0
        i32.add
        local.get $k
        i32.mul
        i32.const 8
        i32.mul
        i32.add
        local.set $ap0
        local.get $x
        local.set $xp
        local.get $ap0
        local.get $k
        i32.const 8
        i32.mul
        i32.add
        local.set $end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $ap0
            local.get $end
            i32.ge_s
            br_if 1 (;@3;)
            local.get $acc00
            local.get $ap0
            v128.load
            local.get $xp
            v128.load
            f64x2.mul
            f64x2.add
            local.set $acc00
            local.get $acc01
            local.get $ap0
            v128.load offset=16
            local.get $xp
            v128.load offset=16
            f64x2.mul
            f64x2.add
            local.set $acc01
            local.get $ap0
            i32.const 32
            i32.add
            local.set $ap0
            local.get $xp
            i32.const 32
            i32.add
            local.set $xp
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc00
        v128.store
        local.get $y
        local.get $i
        i32.const 0
        i32.add
        i32.const 32
        i32.mul
        i32.add
        local.get $acc01
        v128.store offset=16
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end)
  (func $mvT_f32 (type 2) (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $r i32) (local $ap i32) (local $p i32) (local $gv v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        i32.const 8
        i32.add
        local.get $m
        i32.gt_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc2
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc3
        local.get $a
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.set $ap
        i32.const 0
        local.set $p
        block  ;; label = @3
          loop  ;; label = @4
            local.get $p
            local.get $k
            i32.ge_s
            br_if 1 (;@3;)
            local.get $x
            local.get $p
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat
            f64x2.promote_low_f32x4
            local.set $gv
            local.get $acc0
            local.get $ap
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc0
            local.get $acc1
            local.get $ap
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc1
            local.get $acc2
            local.get $ap
            v128.load64_zero offset=16
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc2
            local.get $acc3
            local.get $ap
            v128.load64_zero offset=24
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc3
            local.get $ap
            local.get $m
            i32.const 4
            i32.mul
            i32.add
            local.set $ap
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc0
        f32x4.demote_f64x2_zero
        v128.store64_lane 0
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc1
        f32x4.demote_f64x2_zero
        v128.store64_lane offset=8 0
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc2
        f32x4.demote_f64x2_zero
        v128.store64_lane offset=16 0
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc3
        f32x4.demote_f64x2_zero
        v128.store64_lane offset=24 0
        local.get $r
        i32.const 8
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        i32.const 4
        i32.add
        local.get $m
        i32.gt_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc1
        local.get $a
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.set $ap
        i32.const 0
        local.set $p
        block  ;; label = @3
          loop  ;; label = @4
            local.get $p
            local.get $k
            i32.ge_s
            br_if 1 (;@3;)
            local.get $x
            local.get $p
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat
            f64x2.promote_low_f32x4
            local.set $gv
            local.get $acc0
            local.get $ap
            v128.load64_zero
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc0
            local.get $acc1
            local.get $ap
            v128.load64_zero offset=8
            f64x2.promote_low_f32x4
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc1
            local.get $ap
            local.get $m
            i32.const 4
            i32.mul
            i32.add
            local.set $ap
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc0
        f32x4.demote_f64x2_zero
        v128.store64_lane 0
        local.get $y
        local.get $r
        i32.const 4
        i32.mul
        i32.add
        local.get $acc1
        f32x4.demote_f64x2_zero
        v128.store64_lane offset=8 0
        local.get $r
        i32.const 4
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (func $mvT_f64 (type 3) (param $a i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $r i32) (local $ap i32) (local $p i32) (local $gv v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        i32.const 8
        i32.add
        local.get $m
        i32.gt_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc1
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc2
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc3
        local.get $a
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.set $ap
        i32.const 0
        local.set $p
        block  ;; label = @3
          loop  ;; label = @4
            local.get $p
            local.get $k
            i32.ge_s
            br_if 1 (;@3;)
            local.get $x
            local.get $p
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat
            local.set $gv
            local.get $acc0
            local.get $ap
            v128.load
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc0
            local.get $acc1
            local.get $ap
            v128.load offset=16
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc1
            local.get $acc2
            local.get $ap
            v128.load offset=32
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc2
            local.get $acc3
            local.get $ap
            v128.load offset=48
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc3
            local.get $ap
            local.get $m
            i32.const 8
            i32.mul
            i32.add
            local.set $ap
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc0
        v128.store
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc1
        v128.store offset=16
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc2
        v128.store offset=32
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc3
        v128.store offset=48
        local.get $r
        i32.const 8
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        i32.const 4
        i32.add
        local.get $m
        i32.gt_s
        br_if 1 (;@1;)
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc0
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        local.set $acc1
        local.get $a
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.set $ap
        i32.const 0
        local.set $p
        block  ;; label = @3
          loop  ;; label = @4
            local.get $p
            local.get $k
            i32.ge_s
            br_if 1 (;@3;)
            local.get $x
            local.get $p
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat
            local.set $gv
            local.get $acc0
            local.get $ap
            v128.load
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc0
            local.get $acc1
            local.get $ap
            v128.load offset=16
            local.get $gv
            f64x2.mul
            f64x2.add
            local.set $acc1
            local.get $ap
            local.get $m
            i32.const 8
            i32.mul
            i32.add
            local.set $ap
            local.get $p
            i32.const 1
            i32.add
            local.set $p
            br 0 (;@4;)
          end
        end
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc0
        v128.store
        local.get $y
        local.get $r
        i32.const 8
        i32.mul
        i32.add
        local.get $acc1
        v128.store offset=16
        local.get $r
        i32.const 4
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "mv_f32" (func $mv_f32))
  (export "mv_f64" (func $mv_f64))
  (export "mvT_f32" (func $mvT_f32))
  (export "mvT_f64" (func $mvT_f64)))
