/*
 * javac in one long-lived JVM, for lintseq's compiler-backed Java analyzer.
 *
 * Each request is the argument list of one javac command line; it runs through
 * javax.tools.JavaCompiler.run, the same entry point as the javac launcher, so the
 * messages are the ones the command line prints. Only the JVM start and the JIT warm-up
 * are saved. Wire format (lintseq_compilers.warm): a message is "<n>\n" then n fields,
 * each "<length in bytes>\n<bytes>". The server greets with ("ready", java.version),
 * answers each request with (exit status, stdout, stderr), and exits when stdin closes.
 */
package lintseq;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public final class JavacServer {
    private JavacServer() {}

    public static void main(String[] args) throws IOException {
        InputStream in = new BufferedInputStream(System.in);
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        // Nothing else may write to the protocol stream.
        System.setOut(System.err);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            write(out, "unsupported", "this Java runtime has no system compiler (jdk.compiler)");
            return;
        }
        write(out, "ready", System.getProperty("java.version"));
        while (true) {
            String[] request;
            try {
                request = read(in);
            } catch (EOFException e) {
                return;
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int status;
            try {
                status = compiler.run(null, stdout, stderr, request);
            } catch (Throwable t) { // a crash of javac is reported like the launcher does
                t.printStackTrace(new PrintStream(stderr, true, StandardCharsets.UTF_8));
                status = 4;
            }
            write(out, Integer.toString(status), stdout.toString(), stderr.toString());
        }
    }

    private static String[] read(InputStream in) throws IOException {
        int n = readInt(in);
        String[] fields = new String[n];
        for (int i = 0; i < n; i++) {
            byte[] data = in.readNBytes(readInt(in));
            fields[i] = new String(data, StandardCharsets.UTF_8);
        }
        return fields;
    }

    private static int readInt(InputStream in) throws IOException {
        StringBuilder digits = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            if (c == '\n') {
                return Integer.parseInt(digits.toString());
            }
            digits.append((char) c);
        }
    }

    private static void write(OutputStream out, String... fields) throws IOException {
        out.write((fields.length + "\n").getBytes(StandardCharsets.US_ASCII));
        for (String field : fields) {
            byte[] data = field.getBytes(StandardCharsets.UTF_8);
            out.write((data.length + "\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data);
        }
        out.flush();
    }
}
