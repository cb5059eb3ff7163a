(module
  (type (;0;) (func (param i32 i32)))
  (type (;1;) (func (param i32 i32)))
  (type (;2;) (func (param i32 i32 i32)))
  (type (;3;) (func (param i32 i32 i32)))
  (func $relu_f32 (type 0) (param $addr i32) (param $bytes i32)
    (local $end i32)
    local.get $addr
    local.get $bytes
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $addr
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $addr
        local.get $addr
        v128.load
        local.get $addr
        v128.load
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.gt
        local.get $addr
        v128.load
        local.get $addr
        v128.load
        f32x4.ne
        v128.or
        v128.and
        v128.store
        local.get $addr
        i32.const 16
        i32.add
        local.set $addr
        br 0 (;@2;)
      end
    end)
  (func $relu_f64 (type 1) (param $addr i32) (param $bytes i32)
    (local $end i32)
    local.get $addr
    local.get $bytes
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $addr
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $addr
        local.get $addr
        v128.load
        local.get $addr
        v128.load
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f64x2.gt
        local.get $addr
        v128.load
        local.get $addr
        v128.load
        f64x2.ne
        v128.or
        v128.and
        v128.store
        local.get $addr
        i32.const 16
        i32.add
        local.set $addr
        br 0 (;@2;)
      end
    end)
  (func $relu_grad_f32 (type 2) (param $z i32) (param $g i32) (param $bytes i32)
    (local $end i32)
    local.get $g
    local.get $bytes
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $g
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $g
        local.get $g
        v128.load
        local.get $z
        v128.load
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f32x4.gt
        v128.and
        v128.store
        local.get $g
        i32.const 16
        i32.add
        local.set $g
        local.get $z
        i32.const 16
        i32.add
        local.set $z
        br 0 (;@2;)
      end
    end)
  (func $relu_grad_f64 (type 3) (param $z i32) (param $g i32) (param $bytes i32)
    (local $end i32)
    local.get $g
    local.get $bytes
    i32.add
    local.set $end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $g
        local.get $end
        i32.ge_s
        br_if 1 (;@1;)
        local.get $g
        local.get $g
        v128.load
        local.get $z
        v128.load
        v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
        f64x2.gt
        v128.and
        v128.store
        local.get $g
        i32.const 16
        i32.add
        local.set $g
        local.get $z
        i32.const 16
        i32.add
        local.set $z
        br 0 (;@2;)
      end
    end)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "relu_f32" (func $relu_f32))
  (export "relu_f64" (func $relu_f64))
  (export "relu_grad_f32" (func $relu_grad_f32))
  (export "relu_grad_f64" (func $relu_grad_f64)))
