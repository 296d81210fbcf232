package dev.propel.plugins;

import dev.propel.spi.AbstractPropelPlugin;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;

/**
 * Class files of plugins as they were compiled against SPI 1, which cannot be compiled from source
 * any more: there {@code spiVersion()} returned an {@code int}. Made with the class-file API.
 */
final class Spi1Classes {
    private Spi1Classes() {
    }

    /**
     * A plugin "old" 1.0.0 extending {@link AbstractPropelPlugin} that binds nothing and declares
     * {@code public int spiVersion() { return 1; }}, as an SPI 1 plugin did.
     */
    static byte[] plugin(String className) {
        ClassDesc base = ClassDesc.of(AbstractPropelPlugin.class.getName());
        MethodTypeDesc noArgs = MethodTypeDesc.of(ConstantDescs.CD_void);
        MethodTypeDesc string = MethodTypeDesc.of(ConstantDescs.CD_String);
        return ClassFile.of().build(ClassDesc.of(className), c -> c
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withSuperclass(base)
                .withMethodBody(ConstantDescs.INIT_NAME, noArgs, ClassFile.ACC_PUBLIC,
                        b -> b.aload(0).invokespecial(base, ConstantDescs.INIT_NAME, noArgs).return_())
                .withMethodBody("name", string, ClassFile.ACC_PUBLIC, b -> b.ldc("old").areturn())
                .withMethodBody("version", string, ClassFile.ACC_PUBLIC, b -> b.ldc("1.0.0").areturn())
                .withMethodBody("spiVersion", MethodTypeDesc.of(ConstantDescs.CD_int), ClassFile.ACC_PUBLIC,
                        b -> b.iconst_1().ireturn())
                .withMethodBody("configurePlugin", noArgs, ClassFile.ACC_PROTECTED, b -> b.return_()));
    }
}
