(module
  (type (;0;) (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (type (;1;) (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (type (;2;) (func (param i32 i32 i32 i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32 i32 i32 i32)))
  (type (;4;) (func (param i32 i32 i32 i32 i32 i32)))
  (func $gemm_f64 (type 0) (param $kc i32) (param $mPanels i32) (param $nPanels i32) (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32) (param $add i32)
    (local $bPanel i32) (local $cCol i32) (local $aPanel i32) (local $cTile i32) (local $ni i32) (local $nj i32) (local $aPtr i32) (local $bPtr i32) (local $cnt i32) (local $row i32) (local $aStride i32) (local $bStride i32) (local $cTileStep i32) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc2_0 v128) (local $acc2_1 v128) (local $acc3_0 v128) (local $acc3_1 v128) (local $b0 v128) (local $b1 v128) (local $a v128)
    local.get $kc
    i32.const 32
    i32.mul
    local.set $aStride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $bStride
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $cTileStep
    local.get $bp
    local.set $bPanel
    local.get $cp
    local.set $cCol
    local.get $nPanels
    local.set $nj
    loop  ;; label = @1
      local.get $ap
      local.set $aPanel
      local.get $cCol
      local.set $cTile
      local.get $mPanels
      local.set $ni
      loop  ;; label = @2
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
        local.get $aPanel
        local.set $aPtr
        local.get $bPanel
        local.set $bPtr
        local.get $kc
        local.set $cnt
        loop  ;; label = @3
          local.get $bPtr
          v128.load
          local.set $b0
          local.get $bPtr
          v128.load offset=16
          local.set $b1
          local.get $aPtr
          v128.load64_splat
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc0_0
          f64x2.relaxed_madd
          local.set $acc0_0
          local.get $a
          local.get $b1
          local.get $acc0_1
          f64x2.relaxed_madd
          local.set $acc0_1
          local.get $aPtr
          v128.load64_splat offset=8
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc1_0
          f64x2.relaxed_madd
          local.set $acc1_0
          local.get $a
          local.get $b1
          local.get $acc1_1
          f64x2.relaxed_madd
          local.set $acc1_1
          local.get $aPtr
          v128.load64_splat offset=16
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc2_0
          f64x2.relaxed_madd
          local.set $acc2_0
          local.get $a
          local.get $b1
          local.get $acc2_1
          f64x2.relaxed_madd
          local.set $acc2_1
          local.get $aPtr
          v128.load64_splat offset=24
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc3_0
          f64x2.relaxed_madd
          local.set $acc3_0
          local.get $a
          local.get $b1
          local.get $acc3_1
          f64x2.relaxed_madd
          local.set $acc3_1
          local.get $aPtr
          i32.const 32
          i32.add
          local.set $aPtr
          local.get $bPtr
          i32.const 32
          i32.add
          local.set $bPtr
          local.get $cnt
          i32.const 1
          i32.sub
          local.tee $cnt
          br_if 0 (;@3;)
        end
        local.get $cTile
        local.set $row
        local.get $add
        if  ;; label = @3
          local.get $row
          local.get $row
          v128.load
          local.get $acc0_0
          f64x2.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc0_1
          f64x2.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc1_0
          f64x2.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc1_1
          f64x2.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc2_0
          f64x2.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc2_1
          f64x2.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc3_0
          f64x2.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc3_1
          f64x2.add
          v128.store offset=16
        else
          local.get $row
          local.get $acc0_0
          v128.store
          local.get $row
          local.get $acc0_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc1_0
          v128.store
          local.get $row
          local.get $acc1_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc2_0
          v128.store
          local.get $row
          local.get $acc2_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc3_0
          v128.store
          local.get $row
          local.get $acc3_1
          v128.store offset=16
        end
        local.get $aPanel
        local.get $aStride
        i32.add
        local.set $aPanel
        local.get $cTile
        local.get $cTileStep
        i32.add
        local.set $cTile
        local.get $ni
        i32.const 1
        i32.sub
        local.tee $ni
        br_if 0 (;@2;)
      end
      local.get $bPanel
      local.get $bStride
      i32.add
      local.set $bPanel
      local.get $cCol
      i32.const 32
      i32.add
      local.set $cCol
      local.get $nj
      i32.const 1
      i32.sub
      local.tee $nj
      br_if 0 (;@1;)
    end)
  (func $gemm_f32 (type 1) (param $kc i32) (param $mPanels i32) (param $nPanels i32) (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32) (param $add i32)
    (local $bPanel i32) (local $cCol i32) (local $aPanel i32) (local $cTile i32) (local $ni i32) (local $nj i32) (local $aPtr i32) (local $bPtr i32) (local $cnt i32) (local $row i32) (local $aStride i32) (local $bStride i32) (local $cTileStep i32) (local $acc0_0 v128) (local $acc0_1 v128) (local $acc1_0 v128) (local $acc1_1 v128) (local $acc2_0 v128) (local $acc2_1 v128) (local $acc3_0 v128) (local $acc3_1 v128) (local $b0 v128) (local $b1 v128) (local $a v128)
    local.get $kc
    i32.const 16
    i32.mul
    local.set $aStride
    local.get $kc
    i32.const 32
    i32.mul
    local.set $bStride
    local.get $ldc
    i32.const 4
    i32.mul
    local.set $cTileStep
    local.get $bp
    local.set $bPanel
    local.get $cp
    local.set $cCol
    local.get $nPanels
    local.set $nj
    loop  ;; label = @1
      local.get $ap
      local.set $aPanel
      local.get $cCol
      local.set $cTile
      local.get $mPanels
      local.set $ni
      loop  ;; label = @2
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
        local.get $aPanel
        local.set $aPtr
        local.get $bPanel
        local.set $bPtr
        local.get $kc
        local.set $cnt
        loop  ;; label = @3
          local.get $bPtr
          v128.load
          local.set $b0
          local.get $bPtr
          v128.load offset=16
          local.set $b1
          local.get $aPtr
          v128.load32_splat
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc0_0
          f32x4.relaxed_madd
          local.set $acc0_0
          local.get $a
          local.get $b1
          local.get $acc0_1
          f32x4.relaxed_madd
          local.set $acc0_1
          local.get $aPtr
          v128.load32_splat offset=4
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc1_0
          f32x4.relaxed_madd
          local.set $acc1_0
          local.get $a
          local.get $b1
          local.get $acc1_1
          f32x4.relaxed_madd
          local.set $acc1_1
          local.get $aPtr
          v128.load32_splat offset=8
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc2_0
          f32x4.relaxed_madd
          local.set $acc2_0
          local.get $a
          local.get $b1
          local.get $acc2_1
          f32x4.relaxed_madd
          local.set $acc2_1
          local.get $aPtr
          v128.load32_splat offset=12
          local.set $a
          local.get $a
          local.get $b0
          local.get $acc3_0
          f32x4.relaxed_madd
          local.set $acc3_0
          local.get $a
          local.get $b1
          local.get $acc3_1
          f32x4.relaxed_madd
          local.set $acc3_1
          local.get $aPtr
          i32.const 16
          i32.add
          local.set $aPtr
          local.get $bPtr
          i32.const 32
          i32.add
          local.set $bPtr
          local.get $cnt
          i32.const 1
          i32.sub
          local.tee $cnt
          br_if 0 (;@3;)
        end
        local.get $cTile
        local.set $row
        local.get $add
        if  ;; label = @3
          local.get $row
          local.get $row
          v128.load
          local.get $acc0_0
          f32x4.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc0_1
          f32x4.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc1_0
          f32x4.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc1_1
          f32x4.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc2_0
          f32x4.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc2_1
          f32x4.add
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $row
          v128.load
          local.get $acc3_0
          f32x4.add
          v128.store
          local.get $row
          local.get $row
          v128.load offset=16
          local.get $acc3_1
          f32x4.add
          v128.store offset=16
        else
          local.get $row
          local.get $acc0_0
          v128.store
          local.get $row
          local.get $acc0_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc1_0
          v128.store
          local.get $row
          local.get $acc1_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc2_0
          v128.store
          local.get $row
          local.get $acc2_1
          v128.store offset=16
          local.get $row
          local.get $ldc
          i32.add
          local.set $row
          local.get $row
          local.get $acc3_0
          v128.store
          local.get $row
          local.get $acc3_1
          v128.store offset=16
        end
        local.get $aPanel
        local.get $aStride
        i32.add
        local.set $aPanel
        local.get $cTile
        local.get $cTileStep
        i32.add
        local.set $cTile
        local.get $ni
        i32.const 1
        i32.sub
        local.tee $ni
        br_if 0 (;@2;)
      end
      local.get $bPanel
      local.get $bStride
      i32.add
      local.set $bPanel
      local.get $cCol
      i32.const 32
      i32.add
      local.set $cCol
      local.get $nj
      i32.const 1
      i32.sub
      local.tee $nj
      br_if 0 (;@1;)
    end)
  (func $pack_f64_4 (type 2) (param $src i32) (param $rs i32) (param $cs i32) (param $count i32) (param $kc i32) (param $dst i32)
    (local $ptr i32) (local $cnt i32) (local $left i32) (local $r i32) (local $rs1 i32) (local $rs2 i32) (local $rs3 i32)
    local.get $rs
    i32.const 1
    i32.mul
    local.set $rs1
    local.get $rs
    i32.const 2
    i32.mul
    local.set $rs2
    local.get $rs
    i32.const 3
    i32.mul
    local.set $rs3
    local.get $count
    local.set $left
    block  ;; label = @1
      loop  ;; label = @2
        local.get $left
        i32.const 4
        i32.lt_s
        br_if 1 (;@1;)
        local.get $src
        local.set $ptr
        local.get $kc
        local.set $cnt
        local.get $rs
        i32.const 8
        i32.eq
        if  ;; label = @3
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            v128.load
            v128.store
            local.get $dst
            local.get $ptr
            v128.load offset=16
            v128.store offset=16
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 32
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        else
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            f64.load
            f64.store
            local.get $dst
            local.get $ptr
            local.get $rs1
            i32.add
            f64.load
            f64.store offset=8
            local.get $dst
            local.get $ptr
            local.get $rs2
            i32.add
            f64.load
            f64.store offset=16
            local.get $dst
            local.get $ptr
            local.get $rs3
            i32.add
            f64.load
            f64.store offset=24
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 32
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        end
        local.get $src
        local.get $rs
        i32.const 4
        i32.mul
        i32.add
        local.set $src
        local.get $left
        i32.const 4
        i32.sub
        local.set $left
        br 0 (;@2;)
      end
    end
    local.get $left
    if  ;; label = @1
      local.get $dst
      i32.const 0
      local.get $kc
      i32.const 32
      i32.mul
      memory.fill
      local.get $src
      local.set $ptr
      local.get $kc
      local.set $cnt
      loop  ;; label = @2
        i32.const 0
        local.set $r
        loop  ;; label = @3
          local.get $dst
          local.get $r
          i32.const 8
          i32.mul
          i32.add
          local.get $ptr
          local.get $r
          local.get $rs
          i32.mul
          i32.add
          f64.load
          f64.store
          local.get $r
          i32.const 1
          i32.add
          local.tee $r
          local.get $left
          i32.lt_s
          br_if 0 (;@3;)
        end
        local.get $ptr
        local.get $cs
        i32.add
        local.set $ptr
        local.get $dst
        i32.const 32
        i32.add
        local.set $dst
        local.get $cnt
        i32.const 1
        i32.sub
        local.tee $cnt
        br_if 0 (;@2;)
      end
    end)
  (func $pack_f32_4 (type 3) (param $src i32) (param $rs i32) (param $cs i32) (param $count i32) (param $kc i32) (param $dst i32)
    (local $ptr i32) (local $cnt i32) (local $left i32) (local $r i32) (local $rs1 i32) (local $rs2 i32) (local $rs3 i32)
    local.get $rs
    i32.const 1
    i32.mul
    local.set $rs1
    local.get $rs
    i32.const 2
    i32.mul
    local.set $rs2
    local.get $rs
    i32.const 3
    i32.mul
    local.set $rs3
    local.get $count
    local.set $left
    block  ;; label = @1
      loop  ;; label = @2
        local.get $left
        i32.const 4
        i32.lt_s
        br_if 1 (;@1;)
        local.get $src
        local.set $ptr
        local.get $kc
        local.set $cnt
        local.get $rs
        i32.const 4
        i32.eq
        if  ;; label = @3
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            v128.load
            v128.store
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 16
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        else
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            f32.load
            f32.store
            local.get $dst
            local.get $ptr
            local.get $rs1
            i32.add
            f32.load
            f32.store offset=4
            local.get $dst
            local.get $ptr
            local.get $rs2
            i32.add
            f32.load
            f32.store offset=8
            local.get $dst
            local.get $ptr
            local.get $rs3
            i32.add
            f32.load
            f32.store offset=12
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 16
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        end
        local.get $src
        local.get $rs
        i32.const 4
        i32.mul
        i32.add
        local.set $src
        local.get $left
        i32.const 4
        i32.sub
        local.set $left
        br 0 (;@2;)
      end
    end
    local.get $left
    if  ;; label = @1
      local.get $dst
      i32.const 0
      local.get $kc
      i32.const 16
      i32.mul
      memory.fill
      local.get $src
      local.set $ptr
      local.get $kc
      local.set $cnt
      loop  ;; label = @2
        i32.const 0
        local.set $r
        loop  ;; label = @3
          local.get $dst
          local.get $r
          i32.const 4
          i32.mul
          i32.add
          local.get $ptr
          local.get $r
          local.get $rs
          i32.mul
          i32.add
          f32.load
          f32.store
          local.get $r
          i32.const 1
          i32.add
          local.tee $r
          local.get $left
          i32.lt_s
          br_if 0 (;@3;)
        end
        local.get $ptr
        local.get $cs
        i32.add
        local.set $ptr
        local.get $dst
        i32.const 16
        i32.add
        local.set $dst
        local.get $cnt
        i32.const 1
        i32.sub
        local.tee $cnt
        br_if 0 (;@2;)
      end
    end)
  (func $pack_f32_8 (type 4) (param $src i32) (param $rs i32) (param $cs i32) (param $count i32) (param $kc i32) (param $dst i32)
    (local $ptr i32) (local $cnt i32) (local $left i32) (local $r i32) (local $rs1 i32) (local $rs2 i32) (local $rs3 i32) (local $rs4 i32) (local $rs5 i32) (local $rs6 i32) (local $rs7 i32)
    local.get $rs
    i32.const 1
    i32.mul
    local.set $rs1
    local.get $rs
    i32.const 2
    i32.mul
    local.set $rs2
    local.get $rs
    i32.const 3
    i32.mul
    local.set $rs3
    local.get $rs
    i32.const 4
    i32.mul
    local.set $rs4
    local.get $rs
    i32.const 5
    i32.mul
    local.set $rs5
    local.get $rs
    i32.const 6
    i32.mul
    local.set $rs6
    local.get $rs
    i32.const 7
    i32.mul
    local.set $rs7
    local.get $count
    local.set $left
    block  ;; label = @1
      loop  ;; label = @2
        local.get $left
        i32.const 8
        i32.lt_s
        br_if 1 (;@1;)
        local.get $src
        local.set $ptr
        local.get $kc
        local.set $cnt
        local.get $rs
        i32.const 4
        i32.eq
        if  ;; label = @3
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            v128.load
            v128.store
            local.get $dst
            local.get $ptr
            v128.load offset=16
            v128.store offset=16
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 32
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        else
          loop  ;; label = @4
            local.get $dst
            local.get $ptr
            f32.load
            f32.store
            local.get $dst
            local.get $ptr
            local.get $rs1
            i32.add
            f32.load
            f32.store offset=4
            local.get $dst
            local.get $ptr
            local.get $rs2
            i32.add
            f32.load
            f32.store offset=8
            local.get $dst
            local.get $ptr
            local.get $rs3
            i32.add
            f32.load
            f32.store offset=12
            local.get $dst
            local.get $ptr
            local.get $rs4
            i32.add
            f32.load
            f32.store offset=16
            local.get $dst
            local.get $ptr
            local.get $rs5
            i32.add
            f32.load
            f32.store offset=20
            local.get $dst
            local.get $ptr
            local.get $rs6
            i32.add
            f32.load
            f32.store offset=24
            local.get $dst
            local.get $ptr
            local.get $rs7
            i32.add
            f32.load
            f32.store offset=28
            local.get $ptr
            local.get $cs
            i32.add
            local.set $ptr
            local.get $dst
            i32.const 32
            i32.add
            local.set $dst
            local.get $cnt
            i32.const 1
            i32.sub
            local.tee $cnt
            br_if 0 (;@4;)
          end
        end
        local.get $src
        local.get $rs
        i32.const 8
        i32.mul
        i32.add
        local.set $src
        local.get $left
        i32.const 8
        i32.sub
        local.set $left
        br 0 (;@2;)
      end
    end
    local.get $left
    if  ;; label = @1
      local.get $dst
      i32.const 0
      local.get $kc
      i32.const 32
      i32.mul
      memory.fill
      local.get $src
      local.set $ptr
      local.get $kc
      local.set $cnt
      loop  ;; label = @2
        i32.const 0
        local.set $r
        loop  ;; label = @3
          local.get $dst
          local.get $r
          i32.const 4
          i32.mul
          i32.add
          local.get $ptr
          local.get $r
          local.get $rs
          i32.mul
          i32.add
          f32.load
          f32.store
          local.get $r
          i32.const 1
          i32.add
          local.tee $r
          local.get $left
          i32.lt_s
          br_if 0 (;@3;)
        end
        local.get $ptr
        local.get $cs
        i32.add
        local.set $ptr
        local.get $dst
        i32.const 32
        i32.add
        local.set $dst
        local.get $cnt
        i32.const 1
        i32.sub
        local.tee $cnt
        br_if 0 (;@2;)
      end
    end)
  (memory (;0;) 16)
  (export "memory" (memory 0))
  (export "gemm_f64" (func $gemm_f64))
  (export "gemm_f32" (func $gemm_f32))
  (export "pack_f64_4" (func $pack_f64_4))
  (export "pack_f32_4" (func $pack_f32_4))
  (export "pack_f32_8" (func $pack_f32_8)))
