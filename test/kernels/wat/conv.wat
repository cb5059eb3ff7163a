(module
  (type (;0;) (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
  (func $conv_f32 (type 0) (param $x i32) (param $wt i32) (param $b i32) (param $y i32) (param $off i32) (param $N i32) (param $O i32) (param $ckk i32) (param $xn i32) (param $win i32) (param $oh i32) (param $ow i32)
    (local $n i32) (local $o i32) (local $i i32) (local $j i32) (local $wp i32) (local $op i32) (local $opEnd i32) (local $xRow i32) (local $oEnd i32) (local $xa i32) (local $xv0 v128) (local $xv1 v128) (local $wv v128) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc2_0 v128) (local $acc2_1 v128) (local $acc3_0 v128) (local $acc3_1 v128) (local $bias0 v128) (local $bias1 v128) (local $bias2 v128) (local $bias3 v128)
    local.get $off
    local.get $ckk
    i32.const 4
    i32.mul
    i32.add
    local.set $opEnd
    i32.const 0
    local.set $n
    block  ;; label = @1
      loop  ;; label = @2
        local.get $n
        local.get $N
        i32.ge_s
        br_if 1 (;@1;)
        local.get $O
        i32.const 3
        i32.sub
        local.set $oEnd
        i32.const 0
        local.set $o
        block  ;; label = @3
          loop  ;; label = @4
            local.get $o
            local.get $oEnd
            i32.ge_s
            br_if 1 (;@3;)
            local.get $b
            local.get $o
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat
            local.set $bias0
            local.get $b
            local.get $o
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat offset=4
            local.set $bias1
            local.get $b
            local.get $o
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat offset=8
            local.set $bias2
            local.get $b
            local.get $o
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat offset=12
            local.set $bias3
            i32.const 0
            local.set $i
            block  ;; label = @5
              loop  ;; label = @6
                local.get $i
                local.get $oh
                i32.ge_s
                br_if 1 (;@5;)
                i32.const 0
                local.set $j
                block  ;; label = @7
                  loop  ;; label = @8
                    local.get $j
                    local.get $ow
                    i32.const 8
                    i32.sub
                    i32.gt_s
                    if  ;; label = @9
                      local.get $ow
                      i32.const 8
                      i32.sub
                      local.set $j
                    end
                    local.get $x
                    local.get $n
                    local.get $xn
                    i32.mul
                    i32.add
                    local.get $i
                    local.get $win
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.set $xRow
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc1_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc1_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc2_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc2_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc3_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc3_1
                    local.get $wt
                    local.get $o
                    i32.const 4
                    i32.mul
                    i32.add
                    local.set $wp
                    local.get $off
                    local.set $op
                    loop  ;; label = @9
                      local.get $xRow
                      local.get $op
                      i32.load
                      i32.add
                      local.tee $xa
                      v128.load
                      local.set $xv0
                      local.get $xa
                      v128.load offset=16
                      local.set $xv1
                      local.get $wp
                      v128.load32_splat
                      local.set $wv
                      local.get $acc0_0
                      local.get $wv
                      local.get $xv0
                      f32x4.mul
                      f32x4.add
                      local.set $acc0_0
                      local.get $acc0_1
                      local.get $wv
                      local.get $xv1
                      f32x4.mul
                      f32x4.add
                      local.set $acc0_1
                      local.get $wp
                      v128.load32_splat offset=4
                      local.set $wv
                      local.get $acc1_0
                      local.get $wv
                      local.get $xv0
                      f32x4.mul
                      f32x4.add
                      local.set $acc1_0
                      local.get $acc1_1
                      local.get $wv
                      local.get $xv1
                      f32x4.mul
                      f32x4.add
                      local.set $acc1_1
                      local.get $wp
                      v128.load32_splat offset=8
                      local.set $wv
                      local.get $acc2_0
                      local.get $wv
                      local.get $xv0
                      f32x4.mul
                      f32x4.add
                      local.set $acc2_0
                      local.get $acc2_1
                      local.get $wv
                      local.get $xv1
                      f32x4.mul
                      f32x4.add
                      local.set $acc2_1
                      local.get $wp
                      v128.load32_splat offset=12
                      local.set $wv
                      local.get $acc3_0
                      local.get $wv
                      local.get $xv0
                      f32x4.mul
                      f32x4.add
                      local.set $acc3_0
                      local.get $acc3_1
                      local.get $wv
                      local.get $xv1
                      f32x4.mul
                      f32x4.add
                      local.set $acc3_1
                      local.get $wp
                      local.get $O
                      i32.const 4
                      i32.mul
                      i32.add
                      local.set $wp
                      local.get $op
                      i32.const 4
                      i32.add
                      local.tee $op
                      local.get $opEnd
                      i32.lt_s
                      br_if 0 (;@9;)
                    end
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 0
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc0_0
                    local.get $bias0
                    f32x4.add
                    v128.store
                    local.get $xa
                    local.get $acc0_1
                    local.get $bias0
                    f32x4.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 1
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc1_0
                    local.get $bias1
                    f32x4.add
                    v128.store
                    local.get $xa
                    local.get $acc1_1
                    local.get $bias1
                    f32x4.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 2
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc2_0
                    local.get $bias2
                    f32x4.add
                    v128.store
                    local.get $xa
                    local.get $acc2_1
                    local.get $bias2
                    f32x4.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 3
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc3_0
                    local.get $bias3
                    f32x4.add
                    v128.store
                    local.get $xa
                    local.get $acc3_1
                    local.get $bias3
                    f32x4.add
                    v128.store offset=16
                    local.get $j
                    i32.const 8
                    i32.add
                    local.tee $j
                    local.get $ow
                    i32.lt_s
                    br_if 0 (;@8;)
                  end
                end
                local.get $i
                i32.const 1
                i32.add
                local.set $i
                br 0 (;@6;)
              end
            end
            local.get $o
            i32.const 4
            i32.add
            local.set $o
            br 0 (;@4;)
          end
        end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $o
            local.get $O
            i32.ge_s
            br_if 1 (;@3;)
            local.get $b
            local.get $o
            i32.const 4
            i32.mul
            i32.add
            v128.load32_splat
            local.set $bias0
            i32.const 0
            local.set $i
            block  ;; label = @5
              loop  ;; label = @6
                local.get $i
                local.get $oh
                i32.ge_s
                br_if 1 (;@5;)
                i32.const 0
                local.set $j
                block  ;; label = @7
                  loop  ;; label = @8
                    local.get $j
                    local.get $ow
                    i32.const 8
                    i32.sub
                    i32.gt_s
                    if  ;; label = @9
                      local.get $ow
                      i32.const 8
                      i32.sub
                      local.set $j
                    end
                    local.get $x
                    local.get $n
                    local.get $xn
                    i32.mul
                    i32.add
                    local.get $i
                    local.get $win
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.set $xRow
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_1
                    local.get $wt
                    local.get $o
                    i32.const 4
                    i32.mul
                    i32.add
                    local.set $wp
                    local.get $off
                    local.set $op
                    loop  ;; label = @9
                      local.get $xRow
                      local.get $op
                      i32.load
                      i32.add
                      local.tee $xa
                      v128.load
                      local.set $xv0
                      local.get $xa
                      v128.load offset=16
                      local.set $xv1
                      local.get $wp
                      v128.load32_splat
                      local.set $wv
                      local.get $acc0_0
                      local.get $wv
                      local.get $xv0
                      f32x4.mul
                      f32x4.add
                      local.set $acc0_0
                      local.get $acc0_1
                      local.get $wv
                      local.get $xv1
                      f32x4.mul
                      f32x4.add
                      local.set $acc0_1
                      local.get $wp
                      local.get $O
                      i32.const 4
                      i32.mul
                      i32.add
                      local.set $wp
                      local.get $op
                      i32.const 4
                      i32.add
                      local.tee $op
                      local.get $opEnd
                      i32.lt_s
                      br_if 0 (;@9;)
                    end
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 0
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 4
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc0_0
                    local.get $bias0
                    f32x4.add
                    v128.store
                    local.get $xa
                    local.get $acc0_1
                    local.get $bias0
                    f32x4.add
                    v128.store offset=16
                    local.get $j
                    i32.const 8
                    i32.add
                    local.tee $j
                    local.get $ow
                    i32.lt_s
                    br_if 0 (;@8;)
                  end
                end
                local.get $i
                i32.const 1
                i32.add
                local.set $i
                br 0 (;@6;)
              end
            end
            local.get $o
            i32.const 1
            i32.add
            local.set $o
            br 0 (;@4;)
          end
        end
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        br 0 (;@2;)
      end
    end)
  (func $conv_f64 (type 1) (param $x i32) (param $wt i32) (param $b i32) (param $y i32) (param $off i32) (param $N i32) (param $O i32) (param $ckk i32) (param $xn i32) (param $win i32) (param $oh i32) (param $ow i32)
    (local $n i32) (local $o i32) (local $i i32) (local $j i32) (local $wp i32) (local $op i32) (local $opEnd i32) (local $xRow i32) (local $oEnd i32) (local $xa i32) (local $xv0 v128) (local $xv1 v128) (local $wv v128) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc2_0 v128) (local $acc2_1 v128) (local $acc3_0 v128) (local $acc3_1 v128) (local $bias0 v128) (local $bias1 v128) (local $bias2 v128) (local $bias3 v128)
    local.get $off
    local.get $ckk
    i32.const 4
    i32.mul
    i32.add
    local.set $opEnd
    i32.const 0
    local.set $n
    block  ;; label = @1
      loop  ;; label = @2
        local.get $n
        local.get $N
        i32.ge_s
        br_if 1 (;@1;)
        local.get $O
        i32.const 3
        i32.sub
        local.set $oEnd
        i32.const 0
        local.set $o
        block  ;; label = @3
          loop  ;; label = @4
            local.get $o
            local.get $oEnd
            i32.ge_s
            br_if 1 (;@3;)
            local.get $b
            local.get $o
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat
            local.set $bias0
            local.get $b
            local.get $o
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat offset=8
            local.set $bias1
            local.get $b
            local.get $o
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat offset=16
            local.set $bias2
            local.get $b
            local.get $o
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat offset=24
            local.set $bias3
            i32.const 0
            local.set $i
            block  ;; label = @5
              loop  ;; label = @6
                local.get $i
                local.get $oh
                i32.ge_s
                br_if 1 (;@5;)
                i32.const 0
                local.set $j
                block  ;; label = @7
                  loop  ;; label = @8
                    local.get $j
                    local.get $ow
                    i32.const 4
                    i32.sub
                    i32.gt_s
                    if  ;; label = @9
                      local.get $ow
                      i32.const 4
                      i32.sub
                      local.set $j
                    end
                    local.get $x
                    local.get $n
                    local.get $xn
                    i32.mul
                    i32.add
                    local.get $i
                    local.get $win
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.set $xRow
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc1_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc1_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc2_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc2_1
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc3_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc3_1
                    local.get $wt
                    local.get $o
                    i32.const 8
                    i32.mul
                    i32.add
                    local.set $wp
                    local.get $off
                    local.set $op
                    loop  ;; label = @9
                      local.get $xRow
                      local.get $op
                      i32.load
                      i32.add
                      local.tee $xa
                      v128.load
                      local.set $xv0
                      local.get $xa
                      v128.load offset=16
                      local.set $xv1
                      local.get $wp
                      v128.load64_splat
                      local.set $wv
                      local.get $acc0_0
                      local.get $wv
                      local.get $xv0
                      f64x2.mul
                      f64x2.add
                      local.set $acc0_0
                      local.get $acc0_1
                      local.get $wv
                      local.get $xv1
                      f64x2.mul
                      f64x2.add
                      local.set $acc0_1
                      local.get $wp
                      v128.load64_splat offset=8
                      local.set $wv
                      local.get $acc1_0
                      local.get $wv
                      local.get $xv0
                      f64x2.mul
                      f64x2.add
                      local.set $acc1_0
                      local.get $acc1_1
                      local.get $wv
                      local.get $xv1
                      f64x2.mul
                      f64x2.add
                      local.set $acc1_1
                      local.get $wp
                      v128.load64_splat offset=16
                      local.set $wv
                      local.get $acc2_0
                      local.get $wv
                      local.get $xv0
                      f64x2.mul
                      f64x2.add
                      local.set $acc2_0
                      local.get $acc2_1
                      local.get $wv
                      local.get $xv1
                      f64x2.mul
                      f64x2.add
                      local.set $acc2_1
                      local.get $wp
                      v128.load64_splat offset=24
                      local.set $wv
                      local.get $acc3_0
                      local.get $wv
                      local.get $xv0
                      f64x2.mul
                      f64x2.add
                      local.set $acc3_0
                      local.get $acc3_1
                      local.get $wv
                      local.get $xv1
                      f64x2.mul
                      f64x2.add
                      local.set $acc3_1
                      local.get $wp
                      local.get $O
                      i32.const 8
                      i32.mul
                      i32.add
                      local.set $wp
                      local.get $op
                      i32.const 4
                      i32.add
                      local.tee $op
                      local.get $opEnd
                      i32.lt_s
                      br_if 0 (;@9;)
                    end
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 0
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc0_0
                    local.get $bias0
                    f64x2.add
                    v128.store
                    local.get $xa
                    local.get $acc0_1
                    local.get $bias0
                    f64x2.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 1
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc1_0
                    local.get $bias1
                    f64x2.add
                    v128.store
                    local.get $xa
                    local.get $acc1_1
                    local.get $bias1
                    f64x2.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 2
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc2_0
                    local.get $bias2
                    f64x2.add
                    v128.store
                    local.get $xa
                    local.get $acc2_1
                    local.get $bias2
                    f64x2.add
                    v128.store offset=16
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 3
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc3_0
                    local.get $bias3
                    f64x2.add
                    v128.store
                    local.get $xa
                    local.get $acc3_1
                    local.get $bias3
                    f64x2.add
                    v128.store offset=16
                    local.get $j
                    i32.const 4
                    i32.add
                    local.tee $j
                    local.get $ow
                    i32.lt_s
                    br_if 0 (;@8;)
                  end
                end
                local.get $i
                i32.const 1
                i32.add
                local.set $i
                br 0 (;@6;)
              end
            end
            local.get $o
            i32.const 4
            i32.add
            local.set $o
            br 0 (;@4;)
          end
        end
        block  ;; label = @3
          loop  ;; label = @4
            local.get $o
            local.get $O
            i32.ge_s
            br_if 1 (;@3;)
            local.get $b
            local.get $o
            i32.const 8
            i32.mul
            i32.add
            v128.load64_splat
            local.set $bias0
            i32.const 0
            local.set $i
            block  ;; label = @5
              loop  ;; label = @6
                local.get $i
                local.get $oh
                i32.ge_s
                br_if 1 (;@5;)
                i32.const 0
                local.set $j
                block  ;; label = @7
                  loop  ;; label = @8
                    local.get $j
                    local.get $ow
                    i32.const 4
                    i32.sub
                    i32.gt_s
                    if  ;; label = @9
                      local.get $ow
                      i32.const 4
                      i32.sub
                      local.set $j
                    end
                    local.get $x
                    local.get $n
                    local.get $xn
                    i32.mul
                    i32.add
                    local.get $i
                    local.get $win
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.set $xRow
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_0
                    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
                    local.set $acc0_1
                    local.get $wt
                    local.get $o
                    i32.const 8
                    i32.mul
                    i32.add
                    local.set $wp
                    local.get $off
                    local.set $op
                    loop  ;; label = @9
                      local.get $xRow
                      local.get $op
                      i32.load
                      i32.add
                      local.tee $xa
                      v128.load
                      local.set $xv0
                      local.get $xa
                      v128.load offset=16
                      local.set $xv1
                      local.get $wp
                      v128.load64_splat
                      local.set $wv
                      local.get $acc0_0
                      local.get $wv
                      local.get $xv0
                      f64x2.mul
                      f64x2.add
                      local.set $acc0_0
                      local.get $acc0_1
                      local.get $wv
                      local.get $xv1
                      f64x2.mul
                      f64x2.add
                      local.set $acc0_1
                      local.get $wp
                      local.get $O
                      i32.const 8
                      i32.mul
                      i32.add
                      local.set $wp
                      local.get $op
                      i32.const 4
                      i32.add
                      local.tee $op
                      local.get $opEnd
                      i32.lt_s
                      br_if 0 (;@9;)
                    end
                    local.get $y
                    local.get $n
                    local.get $O
                    i32.mul
                    local.get $o
                    i32.add
                    i32.const 0
                    i32.add
                    local.get $oh
                    i32.mul
                    local.get $i
                    i32.add
                    local.get $ow
                    i32.mul
                    local.get $j
                    i32.add
                    i32.const 8
                    i32.mul
                    i32.add
                    local.tee $xa
                    local.get $acc0_0
                    local.get $bias0
                    f64x2.add
                    v128.store
                    local.get $xa
                    local.get $acc0_1
                    local.get $bias0
                    f64x2.add
                    v128.store offset=16
                    local.get $j
                    i32.const 4
                    i32.add
                    local.tee $j
                    local.get $ow
                    i32.lt_s
                    br_if 0 (;@8;)
                  end
                end
                local.get $i
                i32.const 1
                i32.add
                local.set $i
                br 0 (;@6;)
              end
            end
            local.get $o
            i32.const 1
            i32.add
            local.set $o
            br 0 (;@4;)
          end
        end
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        br 0 (;@2;)
      end
    end)
  (func $dot_f32 (type 2) (param $g i32) (param $x0 i32) (param $out i32) (param $mask i32) (param $N i32) (param $gn i32) (param $xn i32) (param $win i32) (param $oh i32) (param $ow i32) (param $owv i32) (param $tail i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $g1 i32) (param $out1 i32)
    (local $n i32) (local $i i32) (local $jb i32) (local $jEnd i32) (local $gRow i32) (local $gRow1 i32) (local $xr0 i32) (local $xr1 i32) (local $xr2 i32) (local $xr3 i32) (local $gv v128) (local $gv1 v128) (local $xv v128) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc0_2 v128) (local $acc0_3 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc1_2 v128) (local $acc1_3 v128)
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_0
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_1
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_2
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_3
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_0
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_1
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_2
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_3
    local.get $owv
    i32.const 4
    i32.mul
    local.set $jEnd
    i32.const 0
    local.set $n
    block  ;; label = @1
      loop  ;; label = @2
        local.get $n
        local.get $N
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $i
        block  ;; label = @3
          loop  ;; label = @4
            local.get $i
            local.get $oh
            i32.ge_s
            br_if 1 (;@3;)
            local.get $n
            local.get $gn
            i32.mul
            local.get $i
            local.get $ow
            i32.mul
            i32.const 4
            i32.mul
            i32.add
            local.set $jb
            local.get $g
            local.get $jb
            i32.add
            local.set $gRow
            local.get $g1
            local.get $jb
            i32.add
            local.set $gRow1
            local.get $n
            local.get $xn
            i32.mul
            local.get $i
            local.get $win
            i32.mul
            i32.const 4
            i32.mul
            i32.add
            local.set $jb
            local.get $x0
            local.get $jb
            i32.add
            local.set $xr0
            local.get $x1
            local.get $jb
            i32.add
            local.set $xr1
            local.get $x2
            local.get $jb
            i32.add
            local.set $xr2
            local.get $x3
            local.get $jb
            i32.add
            local.set $xr3
            i32.const 0
            local.set $jb
            block  ;; label = @5
              loop  ;; label = @6
                local.get $jb
                local.get $jEnd
                i32.ge_s
                br_if 1 (;@5;)
                local.get $gRow
                local.get $jb
                i32.add
                v128.load
                local.set $gv
                local.get $gRow1
                local.get $jb
                i32.add
                v128.load
                local.set $gv1
                local.get $xr0
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_0
                local.get $gv
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc0_0
                local.get $acc1_0
                local.get $gv1
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc1_0
                local.get $xr1
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_1
                local.get $gv
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc0_1
                local.get $acc1_1
                local.get $gv1
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc1_1
                local.get $xr2
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_2
                local.get $gv
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc0_2
                local.get $acc1_2
                local.get $gv1
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc1_2
                local.get $xr3
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_3
                local.get $gv
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc0_3
                local.get $acc1_3
                local.get $gv1
                local.get $xv
                f32x4.mul
                f32x4.add
                local.set $acc1_3
                local.get $jb
                i32.const 16
                i32.add
                local.set $jb
                br 0 (;@6;)
              end
            end
            local.get $tail
            if  ;; label = @5
              local.get $ow
              i32.const 4
              i32.sub
              i32.const 4
              i32.mul
              local.set $jb
              local.get $gRow
              local.get $jb
              i32.add
              v128.load
              local.set $gv
              local.get $gRow1
              local.get $jb
              i32.add
              v128.load
              local.set $gv1
              local.get $xr0
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_0
              local.get $gv
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc0_0
              local.get $acc1_0
              local.get $gv1
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc1_0
              local.get $xr1
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_1
              local.get $gv
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc0_1
              local.get $acc1_1
              local.get $gv1
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc1_1
              local.get $xr2
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_2
              local.get $gv
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc0_2
              local.get $acc1_2
              local.get $gv1
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc1_2
              local.get $xr3
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_3
              local.get $gv
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc0_3
              local.get $acc1_3
              local.get $gv1
              local.get $xv
              f32x4.mul
              local.get $mask
              v128.load
              v128.and
              f32x4.add
              local.set $acc1_3
            end
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br 0 (;@4;)
          end
        end
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        br 0 (;@2;)
      end
    end
    local.get $out
    local.get $acc0_0
    v128.store
    local.get $out1
    local.get $acc1_0
    v128.store
    local.get $out
    local.get $acc0_1
    v128.store offset=16
    local.get $out1
    local.get $acc1_1
    v128.store offset=16
    local.get $out
    local.get $acc0_2
    v128.store offset=32
    local.get $out1
    local.get $acc1_2
    v128.store offset=32
    local.get $out
    local.get $acc0_3
    v128.store offset=48
    local.get $out1
    local.get $acc1_3
    v128.store offset=48)
  (func $dot_f64 (type 3) (param $g i32) (param $x0 i32) (param $out i32) (param $mask i32) (param $N i32) (param $gn i32) (param $xn i32) (param $win i32) (param $oh i32) (param $ow i32) (param $owv i32) (param $tail i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $g1 i32) (param $out1 i32)
    (local $n i32) (local $i i32) (local $jb i32) (local $jEnd i32) (local $gRow i32) (local $gRow1 i32) (local $xr0 i32) (local $xr1 i32) (local $xr2 i32) (local $xr3 i32) (local $gv v128) (local $gv1 v128) (local $xv v128) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc0_2 v128) (local $acc0_3 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc1_2 v128) (local $acc1_3 v128)
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_0
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_1
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_2
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc0_3
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_0
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_1
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_2
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    local.set $acc1_3
    local.get $owv
    i32.const 8
    i32.mul
    local.set $jEnd
    i32.const 0
    local.set $n
    block  ;; label = @1
      loop  ;; label = @2
        local.get $n
        local.get $N
        i32.ge_s
        br_if 1 (;@1;)
        i32.const 0
        local.set $i
        block  ;; label = @3
          loop  ;; label = @4
            local.get $i
            local.get $oh
            i32.ge_s
            br_if 1 (;@3;)
            local.get $n
            local.get $gn
            i32.mul
            local.get $i
            local.get $ow
            i32.mul
            i32.const 8
            i32.mul
            i32.add
            local.set $jb
            local.get $g
            local.get $jb
            i32.add
            local.set $gRow
            local.get $g1
            local.get $jb
            i32.add
            local.set $gRow1
            local.get $n
            local.get $xn
            i32.mul
            local.get $i
            local.get $win
            i32.mul
            i32.const 8
            i32.mul
            i32.add
            local.set $jb
            local.get $x0
            local.get $jb
            i32.add
            local.set $xr0
            local.get $x1
            local.get $jb
            i32.add
            local.set $xr1
            local.get $x2
            local.get $jb
            i32.add
            local.set $xr2
            local.get $x3
            local.get $jb
            i32.add
            local.set $xr3
            i32.const 0
            local.set $jb
            block  ;; label = @5
              loop  ;; label = @6
                local.get $jb
                local.get $jEnd
                i32.ge_s
                br_if 1 (;@5;)
                local.get $gRow
                local.get $jb
                i32.add
                v128.load
                local.set $gv
                local.get $gRow1
                local.get $jb
                i32.add
                v128.load
                local.set $gv1
                local.get $xr0
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_0
                local.get $gv
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc0_0
                local.get $acc1_0
                local.get $gv1
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc1_0
                local.get $xr1
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_1
                local.get $gv
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc0_1
                local.get $acc1_1
                local.get $gv1
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc1_1
                local.get $xr2
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_2
                local.get $gv
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc0_2
                local.get $acc1_2
                local.get $gv1
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc1_2
                local.get $xr3
                local.get $jb
                i32.add
                v128.load
                local.set $xv
                local.get $acc0_3
                local.get $gv
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc0_3
                local.get $acc1_3
                local.get $gv1
                local.get $xv
                f64x2.mul
                f64x2.add
                local.set $acc1_3
                local.get $jb
                i32.const 16
                i32.add
                local.set $jb
                br 0 (;@6;)
              end
            end
            local.get $tail
            if  ;; label = @5
              local.get $ow
              i32.const 2
              i32.sub
              i32.const 8
              i32.mul
              local.set $jb
              local.get $gRow
              local.get $jb
              i32.add
              v128.load
              local.set $gv
              local.get $gRow1
              local.get $jb
              i32.add
              v128.load
              local.set $gv1
              local.get $xr0
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_0
              local.get $gv
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc0_0
              local.get $acc1_0
              local.get $gv1
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc1_0
              local.get $xr1
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_1
              local.get $gv
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc0_1
              local.get $acc1_1
              local.get $gv1
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc1_1
              local.get $xr2
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_2
              local.get $gv
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc0_2
              local.get $acc1_2
              local.get $gv1
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc1_2
              local.get $xr3
              local.get $jb
              i32.add
              v128.load
              local.set $xv
              local.get $acc0_3
              local.get $gv
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc0_3
              local.get $acc1_3
              local.get $gv1
              local.get $xv
              f64x2.mul
              local.get $mask
              v128.load
              v128.and
              f64x2.add
              local.set $acc1_3
            end
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br 0 (;@4;)
          end
        end
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        br 0 (;@2;)
      end
    end
    local.get $out
    local.get $acc0_0
    v128.store
    local.get $out1
    local.get $acc1_0
    v128.store
    local.get $out
    local.get $acc0_1
    v128.store offset=16
    local.get $out1
    local.get $acc1_1
    v128.store offset=16
    local.get $out
    local.get $acc0_2
    v128.store offset=32
    local.get $out1
    local.get $acc1_2
    v128.store offset=32
    local.get $out
    local.get $acc0_3
    v128.store offset=48
    local.get $out1
    local.get $acc1_3
    v128.store offset=48)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "conv_f32" (func $conv_f32))
  (export "conv_f64" (func $conv_f64))
  (export "dot_f32" (func $dot_f32))
  (export "dot_f64" (func $dot_f64)))
