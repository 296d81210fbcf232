package dev.propel.cli;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the public API elements of a source tree that have no Javadoc comment: the public and protected types,
 * methods, constructors, fields and enum constants that {@code javadoc -protected} documents, and every package
 * without a {@code package-info.java}. The source is only parsed (no class path needed; a second or two for the
 * whole project), so this is what the build can afford to check on every run.
 *
 * <p>Like doclint, it expects no comment on a method marked {@code @Override} (Javadoc inherits the overridden
 * one's) nor on the accessor of a record component (documented by the record's {@code @param}), nor on enum
 * constants listed several to a line (their enum's comment describes them). It does not
 * report what only a code change could fix (a class's implicit default constructor), nor missing
 * {@code @param}/{@code @return} tags. Run {@code java JavadocCoverage.java ROOT MODULE...} to list the gaps.
 */
final class JavadocCoverage {
    /** The modules whose API is published as Javadoc and must be documented completely. */
    static final List<String> PUBLISHED = List.of("core", "plugins/standard", "formats/proto", "formats/json",
            "formats/onnx", "tools/testkit");

    private JavadocCoverage() {
    }

    /** "path:line: kind name" for each undocumented element of the modules' {@code src/main/java}, sorted. */
    static List<String> undocumented(Path root, List<String> modules) throws IOException {
        List<String> missing = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String module : modules) {
            Path src = root.resolve(module).resolve("src/main/java");
            Set<Path> packages = new TreeSet<>();
            try (Stream<Path> walk = Files.walk(src)) {
                walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> {
                    files.add(p);
                    packages.add(p.getParent());
                });
            }
            for (Path dir : packages) {
                if (!Files.exists(dir.resolve("package-info.java"))) {
                    missing.add(root.relativize(dir) + ": package " + src.relativize(dir).toString().replace('/', '.'));
                }
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none"), null,
                    fm.getJavaFileObjectsFromPaths(files));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                Path file = Path.of(unit.getSourceFile().toUri());
                new Scanner(docs, unit, root.relativize(file).toString(), missing).scan(new TreePath(unit), null);
            }
        }
        missing.sort(null);
        return missing;
    }

    /** Walks one file, descending only into types that Javadoc shows. */
    private static final class Scanner extends TreePathScanner<Void, Void> {
        private final DocTrees docs;
        private final CompilationUnitTree unit;
        private final String file;
        private final List<String> missing;

        Scanner(DocTrees docs, CompilationUnitTree unit, String file, List<String> missing) {
            this.docs = docs;
            this.unit = unit;
            this.file = file;
            this.missing = missing;
        }

        @Override
        public Void visitClass(ClassTree type, Void unused) {
            if (!visible(type.getModifiers(), getCurrentPath().getParentPath())) return null;
            TreePath here = getCurrentPath();
            requireAt(here, type.getSimpleName().toString(), kind(type));
            for (Tree member : type.getMembers()) {
                TreePath path = new TreePath(here, member);
                switch (member) {
                    case ClassTree nested -> new Scanner(docs, unit, file, missing).scan(path, null);
                    case MethodTree method -> method(path, type, method);
                    case VariableTree field -> field(path, type, field);
                    default -> { }
                }
            }
            return null;
        }

        private void method(TreePath path, ClassTree owner, MethodTree method) {
            if (!visible(method.getModifiers(), path.getParentPath())) return;
            if (method.getModifiers().getAnnotations().stream()
                    .anyMatch(a -> a.getAnnotationType().toString().equals("Override"))) return;
            String name = method.getName().contentEquals("<init>") ? owner.getSimpleName().toString() : method.getName().toString();
            if (owner.getKind() == Tree.Kind.RECORD && method.getParameters().isEmpty() && owner.getMembers().stream()
                    .anyMatch(m -> m instanceof VariableTree v && isComponent(owner, v) && v.getName().contentEquals(name))) return;
            requireAt(path, name + "(...)", method.getName().contentEquals("<init>") ? "constructor" : "method");
        }

        private void field(TreePath path, ClassTree owner, VariableTree field) {
            if (isComponent(owner, field)) return; // documented by the record's @param
            if (!visible(field.getModifiers(), path.getParentPath())) return; // enum constants are public
            if (owner.getKind() == Tree.Kind.ENUM && field.getInitializer() instanceof NewClassTree
                    && constantsOnLine(owner, line(field)) > 1) return;
            requireAt(path, field.getName().toString(), "field");
        }

        /**
         * Enum constants listed several to a line ({@code ADD, SUB, MUL}) are described in their enum's comment:
         * a comment each would mean reformatting the code, which documentation changes do not do.
         */
        private long constantsOnLine(ClassTree owner, long line) {
            return owner.getMembers().stream()
                    .filter(m -> m instanceof VariableTree v && v.getInitializer() instanceof NewClassTree && line(v) == line)
                    .count();
        }

        private long line(Tree tree) {
            return unit.getLineMap().getLineNumber(docs.getSourcePositions().getStartPosition(unit, tree));
        }

        private static boolean isComponent(ClassTree owner, VariableTree field) {
            return owner.getKind() == Tree.Kind.RECORD && !field.getModifiers().getFlags().contains(Modifier.STATIC);
        }

        /** Public or protected, or a member of an interface (public unless private). */
        private static boolean visible(ModifiersTree modifiers, TreePath parent) {
            Set<Modifier> flags = modifiers.getFlags();
            if (flags.contains(Modifier.PUBLIC) || flags.contains(Modifier.PROTECTED)) return true;
            return parent != null && parent.getLeaf() instanceof ClassTree owner
                    && (owner.getKind() == Tree.Kind.INTERFACE || owner.getKind() == Tree.Kind.ANNOTATION_TYPE)
                    && !flags.contains(Modifier.PRIVATE);
        }

        private void requireAt(TreePath path, String name, String kind) {
            DocCommentTree comment = docs.getDocCommentTree(path);
            if (comment != null && !comment.getFullBody().isEmpty()) return;
            missing.add(file + ":" + line(path.getLeaf()) + ": " + kind + " " + name);
        }

        private static String kind(ClassTree type) {
            return switch (type.getKind()) {
                case INTERFACE -> "interface";
                case ENUM -> "enum";
                case RECORD -> "record";
                case ANNOTATION_TYPE -> "annotation";
                default -> "class";
            };
        }
    }

    /** Lists the undocumented elements of the given modules (default: the published ones) under ROOT. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<String> modules = args.length > 1 ? List.of(args).subList(1, args.length) : PUBLISHED;
        List<String> missing = undocumented(root, modules);
        missing.forEach(System.out::println);
        System.out.println(missing.size() + " undocumented");
    }
}
