import java.util.ArrayList;
import java.util.List;

public class Inventory {
    private final List<String> items = new ArrayList<>();
    private int count;

    public Inventory(int start) {
        this.count = start;
    }

    public void add(String item) {
        if (item == null) {
            throw new IllegalArgumentException("null");
        }
        items.add(item);
        count++;
    }

    public int total() {
        int sum;
        sum = count;
        for (String s : items) {
            sum += s.length();
        }
        return sum;
    }

    public static void main(String[] args) {
        Inventory inv = new Inventory(2);
        inv.add("apple");
        System.out.println(inv.total());
    }
}
