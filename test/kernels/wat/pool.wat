(module
  (type (;0;) (func (param i32 i32 i32 i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32 i32)))
  (func $maxpool2_f32 (type 0) (param $src i32) (param $dst i32) (param $codes i32) (param $rows i32) (param $ow i32)
    (local $r i32) (local $j i32) (local $step i32) (local $top i32) (local $q i32) (local $te v128) (local $to v128) (local $be v128) (local $bo v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $tv v128) (local $bv v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        local.get $rows
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $j
        block  ;; label = @3
          loop  ;; label = @4
            local.get $j
            local.get $ow
            i32.const 4
            i32.sub
            i32.gt_s
            if  ;; label = @5
              local.get $ow
              i32.const 4
              i32.sub
              local.set $j
            end
            local.get $r
            local.get $ow
            i32.mul
            local.get $j
            i32.add
            local.set $q
            local.get $src
            local.get $r
            local.get $ow
            i32.mul
            i32.const 4
            i32.mul
            local.get $j
            i32.const 2
            i32.mul
            i32.add
            i32.const 4
            i32.mul
            i32.add
            local.set $top
            local.get $ow
            i32.const 8
            i32.mul
            local.set $step
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
            local.set $te
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
            local.set $to
            local.get $top
            local.get $step
            i32.add
            local.set $top
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
            local.set $be
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31
            local.set $bo
            local.get $to
            local.get $te
            f32x4.gt
            local.get $to
            local.get $to
            f32x4.ne
            local.get $te
            local.get $te
            f32x4.eq
            v128.and
            v128.or
            local.set $m1
            local.get $to
            local.get $te
            local.get $m1
            v128.bitselect
            local.set $tv
            local.get $bo
            local.get $be
            f32x4.gt
            local.get $bo
            local.get $bo
            f32x4.ne
            local.get $be
            local.get $be
            f32x4.eq
            v128.and
            v128.or
            local.set $m2
            local.get $bo
            local.get $be
            local.get $m2
            v128.bitselect
            local.set $bv
            local.get $bv
            local.get $tv
            f32x4.gt
            local.get $bv
            local.get $bv
            f32x4.ne
            local.get $tv
            local.get $tv
            f32x4.eq
            v128.and
            v128.or
            local.set $m3
            local.get $dst
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            local.get $bv
            local.get $tv
            local.get $m3
            v128.bitselect
            v128.store
            local.get $codes
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            local.get $m2
            i32.const 1
            i32x4.splat
            v128.and
            i32.const 2
            i32x4.splat
            v128.or
            local.get $m1
            i32.const 1
            i32x4.splat
            v128.and
            local.get $m3
            v128.bitselect
            v128.store
            local.get $j
            i32.const 4
            i32.add
            local.tee $j
            local.get $ow
            i32.lt_s
            br_if 0 (;@4;)
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (func $maxpool2_f64 (type 1) (param $src i32) (param $dst i32) (param $codes i32) (param $rows i32) (param $ow i32)
    (local $r i32) (local $j i32) (local $step i32) (local $top i32) (local $q i32) (local $te v128) (local $to v128) (local $be v128) (local $bo v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $tv v128) (local $bv v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        local.get $rows
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $j
        block  ;; label = @3
          loop  ;; label = @4
            local.get $j
            local.get $ow
            i32.const 2
            i32.sub
            i32.gt_s
            if  ;; label = @5
              local.get $ow
              i32.const 2
              i32.sub
              local.set $j
            end
            local.get $r
            local.get $ow
            i32.mul
            local.get $j
            i32.add
            local.set $q
            local.get $src
            local.get $r
            local.get $ow
            i32.mul
            i32.const 4
            i32.mul
            local.get $j
            i32.const 2
            i32.mul
            i32.add
            i32.const 8
            i32.mul
            i32.add
            local.set $top
            local.get $ow
            i32.const 16
            i32.mul
            local.set $step
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            local.set $te
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
            local.set $to
            local.get $top
            local.get $step
            i32.add
            local.set $top
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            local.set $be
            local.get $top
            v128.load
            local.get $top
            v128.load offset=16
            i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
            local.set $bo
            local.get $to
            local.get $te
            f64x2.gt
            local.get $to
            local.get $to
            f64x2.ne
            local.get $te
            local.get $te
            f64x2.eq
            v128.and
            v128.or
            local.set $m1
            local.get $to
            local.get $te
            local.get $m1
            v128.bitselect
            local.set $tv
            local.get $bo
            local.get $be
            f64x2.gt
            local.get $bo
            local.get $bo
            f64x2.ne
            local.get $be
            local.get $be
            f64x2.eq
            v128.and
            v128.or
            local.set $m2
            local.get $bo
            local.get $be
            local.get $m2
            v128.bitselect
            local.set $bv
            local.get $bv
            local.get $tv
            f64x2.gt
            local.get $bv
            local.get $bv
            f64x2.ne
            local.get $tv
            local.get $tv
            f64x2.eq
            v128.and
            v128.or
            local.set $m3
            local.get $dst
            local.get $q
            i32.const 8
            i32.mul
            i32.add
            local.get $bv
            local.get $tv
            local.get $m3
            v128.bitselect
            v128.store
            local.get $codes
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            local.get $m2
            local.get $m2
            i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11
            i32.const 1
            i32x4.splat
            v128.and
            i32.const 2
            i32x4.splat
            v128.or
            local.get $m1
            local.get $m1
            i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11
            i32.const 1
            i32x4.splat
            v128.and
            local.get $m3
            local.get $m3
            i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11
            v128.bitselect
            v128.store64_lane 0
            local.get $j
            i32.const 2
            i32.add
            local.tee $j
            local.get $ow
            i32.lt_s
            br_if 0 (;@4;)
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (func $unpool2_f32 (type 2) (param $g i32) (param $codes i32) (param $gx i32) (param $rows i32) (param $ow i32)
    (local $r i32) (local $j i32) (local $step i32) (local $top i32) (local $q i32) (local $gv v128) (local $cv v128) (local $tl v128) (local $tr v128) (local $bl v128) (local $br v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        local.get $rows
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $j
        block  ;; label = @3
          loop  ;; label = @4
            local.get $j
            local.get $ow
            i32.const 4
            i32.sub
            i32.gt_s
            if  ;; label = @5
              local.get $ow
              i32.const 4
              i32.sub
              local.set $j
            end
            local.get $r
            local.get $ow
            i32.mul
            local.get $j
            i32.add
            local.set $q
            local.get $gx
            local.get $r
            local.get $ow
            i32.mul
            i32.const 4
            i32.mul
            local.get $j
            i32.const 2
            i32.mul
            i32.add
            i32.const 4
            i32.mul
            i32.add
            local.set $top
            local.get $ow
            i32.const 8
            i32.mul
            local.set $step
            local.get $g
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            v128.load
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            f32x4.add
            local.set $gv
            local.get $codes
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            v128.load
            local.set $cv
            local.get $gv
            local.get $cv
            i32.const 0
            i32x4.splat
            i32x4.eq
            v128.and
            local.set $tl
            local.get $gv
            local.get $cv
            i32.const 1
            i32x4.splat
            i32x4.eq
            v128.and
            local.set $tr
            local.get $gv
            local.get $cv
            i32.const 2
            i32x4.splat
            i32x4.eq
            v128.and
            local.set $bl
            local.get $gv
            local.get $cv
            i32.const 3
            i32x4.splat
            i32x4.eq
            v128.and
            local.set $br
            local.get $top
            local.get $tl
            local.get $tr
            i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
            v128.store
            local.get $top
            local.get $tl
            local.get $tr
            i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
            v128.store offset=16
            local.get $top
            local.get $step
            i32.add
            local.set $top
            local.get $top
            local.get $bl
            local.get $br
            i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
            v128.store
            local.get $top
            local.get $bl
            local.get $br
            i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
            v128.store offset=16
            local.get $j
            i32.const 4
            i32.add
            local.tee $j
            local.get $ow
            i32.lt_s
            br_if 0 (;@4;)
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (func $unpool2_f64 (type 3) (param $g i32) (param $codes i32) (param $gx i32) (param $rows i32) (param $ow i32)
    (local $r i32) (local $j i32) (local $step i32) (local $top i32) (local $q i32) (local $gv v128) (local $cv v128) (local $tl v128) (local $tr v128) (local $bl v128) (local $br v128)
    i32.const 0
    local.set $r
    block  ;; label = @1
      loop  ;; label = @2
        local.get $r
        local.get $rows
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $j
        block  ;; label = @3
          loop  ;; label = @4
            local.get $j
            local.get $ow
            i32.const 2
            i32.sub
            i32.gt_s
            if  ;; label = @5
              local.get $ow
              i32.const 2
              i32.sub
              local.set $j
            end
            local.get $r
            local.get $ow
            i32.mul
            local.get $j
            i32.add
            local.set $q
            local.get $gx
            local.get $r
            local.get $ow
            i32.mul
            i32.const 4
            i32.mul
            local.get $j
            i32.const 2
            i32.mul
            i32.add
            i32.const 8
            i32.mul
            i32.add
            local.set $top
            local.get $ow
            i32.const 16
            i32.mul
            local.set $step
            local.get $g
            local.get $q
            i32.const 8
            i32.mul
            i32.add
            v128.load
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            f64x2.add
            local.set $gv
            local.get $codes
            local.get $q
            i32.const 4
            i32.mul
            i32.add
            v128.load64_zero
            i64x2.extend_low_i32x4_s
            local.set $cv
            local.get $gv
            local.get $cv
            i32.const 0
            i32x4.splat
            i64x2.extend_low_i32x4_s
            i64x2.eq
            v128.and
            local.set $tl
            local.get $gv
            local.get $cv
            i32.const 1
            i32x4.splat
            i64x2.extend_low_i32x4_s
            i64x2.eq
            v128.and
            local.set $tr
            local.get $gv
            local.get $cv
            i32.const 2
            i32x4.splat
            i64x2.extend_low_i32x4_s
            i64x2.eq
            v128.and
            local.set $bl
            local.get $gv
            local.get $cv
            i32.const 3
            i32x4.splat
            i64x2.extend_low_i32x4_s
            i64x2.eq
            v128.and
            local.set $br
            local.get $top
            local.get $tl
            local.get $tr
            i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            v128.store
            local.get $top
            local.get $tl
            local.get $tr
            i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
            v128.store offset=16
            local.get $top
            local.get $step
            i32.add
            local.set $top
            local.get $top
            local.get $bl
            local.get $br
            i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            v128.store
            local.get $top
            local.get $bl
            local.get $br
            i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
            v128.store offset=16
            local.get $j
            i32.const 2
            i32.add
            local.tee $j
            local.get $ow
            i32.lt_s
            br_if 0 (;@4;)
          end
        end
        local.get $r
        i32.const 1
        i32.add
        local.set $r
        br 0 (;@2;)
      end
    end)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "maxpool2_f32" (func $maxpool2_f32))
  (export "maxpool2_f64" (func $maxpool2_f64))
  (export "unpool2_f32" (func $unpool2_f32))
  (export "unpool2_f64" (func $unpool2_f64)))
